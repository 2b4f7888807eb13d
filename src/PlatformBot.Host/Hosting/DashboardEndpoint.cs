using System.Net;
using System.Text;
using PlatformBot.Features.Insights;

namespace PlatformBot.Host.Hosting;

/// <summary><c>GET /dashboard</c>: the scorecard as a page (server-rendered, every value escaped, no script, works offline).</summary>
internal static class DashboardEndpoint
{
    public static void MapDashboard(this WebApplication app) =>
        app.MapGet("/dashboard", (int? days, IScorecard scorecard) =>
        {
            var card = scorecard.Compute(days is >= 1 and <= 366 ? days.Value : 30);
            var html = new StringBuilder()
                .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .Append("<title>PlatformBot · scorecard</title><style>")
                .Append("body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f4f4f6;color:#1d1c1d}header{background:#3f0e40;color:#fff;padding:.8rem 1.2rem}")
                .Append("main{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem;padding:1.2rem}")
                .Append(".tile{background:#fff;border-radius:8px;padding:1rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}.label{color:#616061;font-size:.85rem}")
                .Append(".value{font-size:1.8rem;font-weight:700;margin:.2rem 0}.detail{color:#616061;font-size:.85rem}</style></head><body>")
                .Append("<header><h1 style=\"margin:0;font-size:1.2rem\">Platform scorecard</h1>")
                .Append(CultureFree($"<div>{card.From:yyyy-MM-dd} to {card.To:yyyy-MM-dd} (UTC)</div></header><main>"));
            var tiles = ScorecardText.Tiles(card);
            if (tiles.Count == 0)
            {
                html.Append("<p>No figures yet.</p>");
            }

            foreach (var (label, value, detail) in tiles)
            {
                html.Append("<section class=\"tile\"><div class=\"label\">").Append(WebUtility.HtmlEncode(label))
                    .Append("</div><div class=\"value\">").Append(WebUtility.HtmlEncode(value))
                    .Append("</div><div class=\"detail\">").Append(WebUtility.HtmlEncode(detail)).Append("</div></section>");
            }

            if (card.LatestNps?.ChartUrl is { } chart)
            {
                html.Append("<section class=\"tile\"><div class=\"label\">").Append(WebUtility.HtmlEncode(card.LatestNps.Title))
                    .Append("</div><img style=\"max-width:100%\" alt=\"Survey results chart\" src=\"").Append(WebUtility.HtmlEncode(chart)).Append("\"></section>");
            }

            html.Append("</main></body></html>");
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        });

    private static string CultureFree(FormattableString text) => FormattableString.Invariant(text);
}
