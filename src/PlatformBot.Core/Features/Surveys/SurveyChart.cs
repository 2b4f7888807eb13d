using System.Globalization;
using ScottPlot;

namespace PlatformBot.Features.Surveys;

/// <summary>Charts of a run's headline question and of the trend over runs, rendered on the server as PNG with ScottPlot.</summary>
internal static class SurveyChart
{
    public const int Width = 640;
    public const int Height = 320;

    private static readonly Color Detractor = Color.FromHex("#d64545");
    private static readonly Color Passive = Color.FromHex("#e0a526");
    private static readonly Color Promoter = Color.FromHex("#2f9e5b");
    private static readonly Color Neutral = Color.FromHex("#3d7bd9");

    /// <summary>The distribution of the first NPS or CSAT question (else the first choice question); null when there is nothing to draw.</summary>
    public static byte[]? Distribution(string title, RunResults results)
    {
        if (results.Suppressed)
        {
            return null;
        }

        var question = results.Questions.FirstOrDefault(q => q is NpsResult or CsatResult && q.Answered > 0)
            ?? results.Questions.FirstOrDefault(q => q is ChoiceResult && q.Answered > 0);
        var (labels, values, colors, caption) = question switch
        {
            NpsResult nps => (
                Enumerable.Range(0, 11).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(),
                nps.Distribution.ToArray(),
                Enumerable.Range(0, 11).Select(i => i >= 9 ? Promoter : i >= 7 ? Passive : Detractor).ToArray(),
                $"NPS {nps.Score.ToString("0", CultureInfo.InvariantCulture)} ({nps.Answered} answers)"),
            CsatResult csat => (
                Enumerable.Range(1, 5).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(),
                csat.Distribution.ToArray(),
                Enumerable.Range(1, 5).Select(i => i >= 4 ? Promoter : i == 3 ? Passive : Detractor).ToArray(),
                $"CSAT {csat.Mean.ToString("0.0", CultureInfo.InvariantCulture)} / 5 ({csat.Answered} answers)"),
            ChoiceResult choice => (
                choice.Question.Options.Select(o => o.Length > 18 ? o[..17] + "…" : o).ToArray(),
                choice.Counts.ToArray(),
                choice.Counts.Select(_ => Neutral).ToArray(),
                $"{choice.Answered} answers"),
            _ => (Array.Empty<string>(), Array.Empty<int>(), Array.Empty<Color>(), string.Empty),
        };
        if (values.Length == 0)
        {
            return null;
        }

        var plot = new Plot();
        try
        {
            var bars = values.Select((v, i) => new Bar { Position = i, Value = v, FillColor = colors[i], LineWidth = 0 }).ToList();
            plot.Add.Bars(bars);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Length).Select(i => (double)i)], labels);
            plot.Axes.Margins(bottom: 0);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.Title($"{Shorten(title)}: {caption}");
            plot.YLabel("people");
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }

    /// <summary>The headline figure over runs (oldest first); null with fewer than two points.</summary>
    public static byte[]? Trend(string title, string figure, IReadOnlyList<(int Run, double Value)> points)
    {
        if (points.Count < 2)
        {
            return null;
        }

        var plot = new Plot();
        try
        {
            var xs = points.Select(p => (double)p.Run).ToArray();
            var ys = points.Select(p => p.Value).ToArray();
            var line = plot.Add.Scatter(xs, ys, Neutral);
            line.LineWidth = 2;
            line.MarkerSize = 8;
            plot.Axes.Bottom.SetTicks(xs, [.. points.Select(p => "run " + p.Run.ToString(CultureInfo.InvariantCulture))]);
            plot.Title($"{Shorten(title)}: {figure} by run");
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }

    private static string Shorten(string title) => title.Length > 40 ? title[..39] + "…" : title;
}
