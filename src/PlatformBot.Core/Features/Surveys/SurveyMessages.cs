using System.Collections.Immutable;
using System.Globalization;
using PlatformBot.Conversations;
using PlatformBot.Storage;

namespace PlatformBot.Features.Surveys;

/// <summary>The surveys' messages as channel-neutral replies: prompts with answer buttons, results with charts.</summary>
internal static class SurveyMessages
{
    public static string CardKeyOf(string runId) => SurveysFeature.CardKeyPrefix + runId;

    /// <summary>
    /// A person's prompt. <paramref name="own"/> marks the person's current answers; anonymous runs never pass it, so
    /// that no message (which the dev chat keeps in the same database) shows what an anonymous person chose.
    /// </summary>
    public static Reply Prompt(SurveyRun run, SurveyResponse? own, TimeZoneInfo zone, bool reminder = false, RichText? notice = null)
    {
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"{run.Title}")));
        if (reminder)
        {
            blocks.Add(new TextBlock(Md.Text($"A friendly reminder: this survey closes {When(run.ClosesAt, zone)}. It takes a minute.")));
        }
        else if (run.TicketId is { } ticket)
        {
            blocks.Add(new TextBlock(run.TicketSummary is { Length: > 0 } summary
                ? Md.Text($"Your request *{ticket}* ({summary}) was resolved. One click tells the platform team how it went.")
                : Md.Text($"Your request *{ticket}* was resolved. One click tells the platform team how it went.")));
        }

        for (var i = 0; i < run.Questions.Count; i++)
        {
            var question = run.Questions[i];
            var answer = own?.Answers.Find(a => a.Question == i);
            var number = run.Questions.Count > 1 ? $"{i + 1}. " : string.Empty;
            blocks.Add(new TextBlock(Md.Text($"*{number}{question.Text}*")));
            switch (question.Kind)
            {
                case QuestionKind.Nps:
                    blocks.Add(Scale(run.Id, i, 0, 10, answer?.Number));
                    blocks.Add(new ContextBlock([Md.Text($"0 = not at all likely, 10 = extremely likely")]));
                    break;
                case QuestionKind.Csat:
                    blocks.Add(Scale(run.Id, i, 1, 5, answer?.Number));
                    blocks.Add(new ContextBlock([Md.Text($"1 = very dissatisfied, 5 = very satisfied")]));
                    break;
                case QuestionKind.Choice:
                case QuestionKind.Multi:
                    var action = question.Kind == QuestionKind.Multi ? SurveysFeature.ToggleAction : SurveysFeature.AnswerAction;
                    blocks.Add(new ActionsBlock([.. question.Options.Select((option, o) => (ActionElement)new Button(
                        action,
                        question.Kind == QuestionKind.Multi && own is not null ? (answer?.Choices.Contains(o) == true ? "☑ " : "☐ ") + option : option,
                        AnswerValue.Format(run.Id, i, o),
                        answer?.Choices.Contains(o) == true ? ButtonStyle.Primary : ButtonStyle.Default))]));
                    if (question.Kind == QuestionKind.Multi)
                    {
                        blocks.Add(new ContextBlock([Md.Text($"Pick all that apply; a second click takes one back.")]));
                    }

                    break;
                default:
                    blocks.Add(new ActionsBlock([new Button(SurveysFeature.CommentAction, answer?.Text is { Length: > 0 } ? "Edit your comment" : "Write a comment", AnswerValue.Format(run.Id, i, null))]));
                    break;
            }
        }

        var privacy = run.Anonymous
            ? "Anonymous: your answers are stored without your name, and results show totals only."
            : "Your name is stored with your answers.";
        blocks.Add(new ContextBlock([Md.Text($"{Md.Raw(privacy)} You can change your answers until {When(run.ClosesAt, zone)}.")]));
        if (notice is not null)
        {
            blocks.Add(new ContextBlock([notice]));
        }

        return new Reply { Blocks = blocks.ToImmutable(), CardKey = CardKeyOf(run.Id), Summary = run.Title };
    }

    public static Reply CommentForm(SurveyRun run, int question, string? current) =>
        Reply.OpenForm(new Form(SurveysFeature.CommentFormId, Truncate(run.Title, 60), [
            new FormField("text", run.Questions[question].Text, FormFieldKind.MultilineText) { Required = true, MaxLength = SurveysFeature.MaxCommentLength, Initial = current },
        ])
        {
            SubmitLabel = "Save",
            State = AnswerValue.Format(run.Id, question, null),
        });

    /// <summary>Results of a run: response rate, figures per question, comments, trend, and the chart.</summary>
    public static Reply Results(SurveyRun run, RunResults results, IReadOnlyList<SurveyRun> history, string? chartImageId, string? trendImageId, TimeZoneInfo zone)
    {
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"{run.Title}: results of run {run.Number}")));
        var state = run.Status == RunStatus.Open ? $"open until {When(run.ClosesAt, zone)}" : $"closed {When(run.ClosedAt ?? run.ClosesAt, zone)}";
        blocks.Add(new SectionBlock(null, [
            new Field("Response rate", Md.Text($"{Percent(results.ResponseRate)} ({results.Respondents} of {results.Prompted})")),
            new Field("Run", Md.Text($"`{run.Id}`, {state}")),
        ]));
        var skipped = new List<string>();
        if (run.SkippedFatigue > 0)
        {
            skipped.Add($"{run.SkippedFatigue} skipped (survey fatigue budget)");
        }

        if (run.SkippedQuietHours > 0)
        {
            skipped.Add($"{run.SkippedQuietHours} skipped (quiet hours until close)");
        }

        if (run.Deferred > 0)
        {
            skipped.Add($"{run.Deferred} waited for the end of their quiet hours");
        }

        if (run.Reminded > 0)
        {
            skipped.Add($"{run.Reminded} reminded");
        }

        skipped.AddRange(run.AudienceNotes);
        blocks.Add(new ContextBlock([Md.Text($"{run.Recipients} in the audience, {run.Prompted} asked{Md.Raw(skipped.Count > 0 ? "; " : string.Empty)}{string.Join("; ", skipped)}.")]));

        if (results.Suppressed)
        {
            blocks.Add(new TextBlock(Md.Text($"Fewer than {run.MinGroupSize} people answered, so no figures are shown: with so few answers they could tell who said what.")));
            return Finish(blocks, run);
        }

        foreach (var question in results.Questions)
        {
            blocks.Add(new DividerBlock());
            blocks.Add(new TextBlock(Md.Text($"*{question.Question.Text}*")));
            switch (question)
            {
                case NpsResult nps:
                    blocks.Add(new SectionBlock(null, [
                        new Field("NPS", Md.Text($"*{Number(nps.Score)}*")),
                        new Field("Promoters · passives · detractors", Md.Text($"{nps.Promoters} · {nps.Passives} · {nps.Detractors}")),
                    ]));
                    break;
                case CsatResult csat:
                    blocks.Add(new SectionBlock(null, [
                        new Field("CSAT", Md.Text($"*{csat.Mean.ToString("0.0#", CultureInfo.InvariantCulture)}* / 5 ({Percent(csat.SatisfiedPercent / 100)} satisfied)")),
                        new Field("1 · 2 · 3 · 4 · 5", Md.Text($"{string.Join(" · ", csat.Distribution)}")),
                    ]));
                    break;
                case ChoiceResult choice:
                    blocks.Add(new TextBlock(Md.Lines(question.Question.Options.Select((o, i) => Md.Text($"• {o}: *{choice.Counts[i]}*")))));
                    break;
                case TextResult text:
                    blocks.Add(text.Comments.Length == 0
                        ? new ContextBlock([Md.Text($"No comments.")])
                        : new TextBlock(Md.Lines(text.Comments.Take(20).Select(c => c.Author is null ? Md.Text($"“{c.Text}”") : Md.Text($"“{c.Text}” (_{c.Author}_)")))));
                    if (text.Comments.Length > 20)
                    {
                        blocks.Add(new ContextBlock([Md.Text($"{text.Comments.Length - 20} more comments; see the dashboard.")]));
                    }

                    break;
                default:
                    break;
            }

            blocks.Add(new ContextBlock([Md.Text($"{question.Answered} answered")]));
        }

        if (chartImageId is not null)
        {
            blocks.Add(new ImageBlock(ImageUrls.For(chartImageId), $"Distribution of answers to: {results.Questions.First(q => q is NpsResult or CsatResult or ChoiceResult).Question.Text}"));
        }

        var trend = Trend(history);
        if (trend is not null)
        {
            blocks.Add(new DividerBlock());
            blocks.Add(new TextBlock(trend));
            if (trendImageId is not null)
            {
                blocks.Add(new ImageBlock(ImageUrls.For(trendImageId), "Trend over runs"));
            }
        }

        return Finish(blocks, run);
    }

    /// <summary>The headline figures of earlier runs, oldest first, ending with this one.</summary>
    public static IReadOnlyList<(int Run, double Value)> TrendPoints(IReadOnlyList<SurveyRun> history, out string figure)
    {
        var ordered = history.Where(r => r.Summary is not null).OrderBy(r => r.Number).ToList();
        figure = ordered.Any(r => r.Summary!.Nps is not null) ? "NPS" : "CSAT";
        var nps = figure == "NPS";
        return [.. ordered
            .Select(r => (r.Number, Value: nps ? r.Summary!.Nps : r.Summary!.CsatMean))
            .Where(p => p.Value is not null)
            .Select(p => (p.Number, p.Value!.Value))];
    }

    private static RichText? Trend(IReadOnlyList<SurveyRun> history)
    {
        var points = TrendPoints(history, out var figure);
        if (points.Count < 2)
        {
            return null;
        }

        var line = string.Join(" → ", points.Select(p => $"run {p.Run}: {(figure == "NPS" ? Number(p.Value) : p.Value.ToString("0.0", CultureInfo.InvariantCulture))}"));
        return Md.Text($"*Trend ({Md.Raw(figure)})*: {line}");
    }

    private static Reply Finish(ImmutableArray<Block>.Builder blocks, SurveyRun run) =>
        new() { Blocks = blocks.ToImmutable(), Summary = $"{run.Title}: results of run {run.Number}" };

    private static ActionsBlock Scale(string runId, int question, int from, int to, int? selected) =>
        new([.. Enumerable.Range(from, to - from + 1).Select(n => (ActionElement)new Button(
            SurveysFeature.AnswerAction,
            n.ToString(CultureInfo.InvariantCulture),
            AnswerValue.Format(runId, question, n),
            n == selected ? ButtonStyle.Primary : ButtonStyle.Default))]);

    public static string When(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(utc.ToUniversalTime()), zone);
        return local.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + " (" + zone.Id + ")";
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>A button's value: <c>run|question|answer</c>. Everything in it is checked again when it comes back.</summary>
internal static class AnswerValue
{
    public static string Format(string runId, int question, int? answer) =>
        answer is { } a ? FormattableString.Invariant($"{runId}|{question}|{a}") : FormattableString.Invariant($"{runId}|{question}");

    public static bool TryParse(string? value, bool withAnswer, out string runId, out int question, out int answer)
    {
        runId = string.Empty;
        question = answer = -1;
        var parts = (value ?? string.Empty).Split('|');
        if (parts.Length != (withAnswer ? 3 : 2) || parts[0].Length is 0 or > 80
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out question)
            || (withAnswer && !int.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out answer)))
        {
            return false;
        }

        runId = parts[0];
        return true;
    }
}
