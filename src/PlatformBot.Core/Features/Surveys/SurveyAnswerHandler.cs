using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Features.Surveys;

/// <summary>
/// Clicks on a prompt's buttons and comment forms. Every value is checked again (the run, that the person was asked in
/// it, the message it came from, the range of the answer): a forged one is refused and nothing is stored.
/// </summary>
internal sealed class SurveyAnswerHandler(SurveyRunner runner, ICardDirectory cards) : IInteractionHandler
{
    public Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken) =>
        Task.FromResult(Handle(interaction));

    private Reply Handle(IncomingInteraction interaction)
    {
        var user = interaction.User;
        switch (interaction.ActionId)
        {
            case SurveysFeature.AnswerAction when AnswerValue.TryParse(interaction.Value, withAnswer: true, out var runId, out var question, out var value):
                return Apply(interaction, runId, new Pick(question, value));
            case SurveysFeature.ToggleAction when AnswerValue.TryParse(interaction.Value, withAnswer: true, out var runId, out var question, out var option):
                return Apply(interaction, runId, new Toggle(question, option));
            case SurveysFeature.CommentAction when AnswerValue.TryParse(interaction.Value, withAnswer: false, out var runId, out var question, out _):
                return OpenComment(interaction, runId, question);
            case SurveysFeature.CommentFormId when interaction.IsFormSubmission && AnswerValue.TryParse(interaction.State, withAnswer: false, out var runId, out var question, out _):
                var text = interaction.Values.TryGetValue("text", out var t) ? t : string.Empty;
                if (string.IsNullOrWhiteSpace(text) || text.Length > SurveysFeature.MaxCommentLength)
                {
                    return Reply.Private(Md.Text($"A comment needs 1 to {SurveysFeature.MaxCommentLength:N0} characters; nothing was saved."));
                }

                return Apply(interaction, runId, new Write(question, text));
            default:
                return Refused();
        }

        Reply Apply(IncomingInteraction click, string runId, AnswerChange change)
        {
            var (outcome, run) = runner.Answer(user, runId, change, SourceCard(click));
            if (outcome != AnswerOutcome.Saved || run is null)
            {
                return Explain(outcome, run);
            }

            if (change is Write)
            {
                return Reply.Private(run.Anonymous
                    ? Md.Text($"Thank you: your comment is saved, without your name.")
                    : Md.Text($"Thank you: your comment is saved. You can edit it until the survey closes."))
                    with { ReplacesSource = true };
            }

            var zone = runner.ZoneOf(user.TimeZone);
            var notice = run.Anonymous
                ? Md.Text($"✓ Recorded anonymously. Your choice is not shown back, so that nothing we keep links it to you; click again to change it.")
                : Md.Text($"✓ Saved. Thank you!");
            return SurveyMessages.Prompt(run, runner.OwnResponse(run, user), zone, notice: notice) with { ReplacesSource = true };
        }
    }

    private Reply OpenComment(IncomingInteraction interaction, string runId, int question)
    {
        var (refusal, run) = runner.Admit(interaction.User, runId, SourceCard(interaction));
        if (refusal is { } outcome || run is null)
        {
            return Explain(refusal ?? AnswerOutcome.NoSuchRun, run);
        }

        if (question < 0 || question >= run.Questions.Count || run.Questions[question].Kind != QuestionKind.Text)
        {
            return Refused();
        }

        var current = runner.OwnResponse(run, interaction.User)?.Answers.Find(a => a.Question == question)?.Text;
        return SurveyMessages.CommentForm(run, question, current);
    }

    private string? SourceCard(IncomingInteraction interaction) =>
        interaction.MessageId is { } message && !interaction.IsFormSubmission
            ? cards.FindKey(interaction.Conversation.Channel, interaction.Conversation.ConversationId, message)
            : null;

    private static Reply Explain(AnswerOutcome outcome, SurveyRun? run) => outcome switch
    {
        AnswerOutcome.Closed => Reply.Private(Md.Text($"Thank you, but *{run?.Title ?? "this survey"}* has closed, so this answer was not recorded.")),
        AnswerOutcome.NotForYou => Reply.Private(Md.Text($"That answer does not belong to a survey you were asked, so it was not recorded.")),
        AnswerOutcome.NoSuchRun => Reply.Private(Md.Text($"That survey does not exist (any more), so the answer was not recorded.")),
        _ => Refused(),
    };

    private static Reply Refused() => Reply.Private(Md.Text($"That is not a valid answer to this survey, so it was not recorded."));
}
