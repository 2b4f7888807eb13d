using PlatformBot.Features.Surveys;

namespace PlatformBot.Tests.Features.Surveys;

public sealed class SurveyResultsTests
{
    private static readonly StoredQuestion NpsQuestion = new() { Kind = QuestionKind.Nps, Text = "Recommend?" };

    [Theory]
    [InlineData(new[] { 10 }, 100)]
    [InlineData(new[] { 0 }, -100)]
    [InlineData(new[] { 7, 8 }, 0)]
    [InlineData(new[] { 9, 10, 7, 3 }, 25)] // 2 promoters, 1 detractor of 4
    [InlineData(new[] { 10, 9, 9, 6, 5, 8 }, 16.7)] // 3 − 2 of 6 = 16.67%
    public void Nps_IsPromotersMinusDetractorsInPercent(int[] scores, double expected)
    {
        var result = SurveyResults.Nps(0, NpsQuestion, scores);

        Assert.Equal(expected, result.Score);
    }

    [Fact]
    public void Nps_CountsEachGroupAndTheDistribution()
    {
        var result = SurveyResults.Nps(0, NpsQuestion, [9, 10, 7, 3, 3]);

        Assert.Equal((2, 1, 2), (result.Promoters, result.Passives, result.Detractors));
        Assert.Equal(2, result.Distribution[3]);
    }

    [Fact]
    public void Csat_HasTheMeanTheShareSatisfiedAndTheDistribution()
    {
        var result = SurveyResults.Csat(0, new StoredQuestion { Kind = QuestionKind.Csat }, [5, 4, 2, 4]);

        Assert.Equal(3.75, result.Mean);
        Assert.Equal(75, result.SatisfiedPercent);
        Assert.Equal([0, 1, 0, 2, 1], result.Distribution);
    }

    [Fact]
    public void Compute_ResponseRateCountsPeopleWithAnAnswer()
    {
        var run = Run(anonymous: false, minGroup: 5, prompted: 4);
        var responses = new[] { Response(run, nps: 10), Response(run, nps: 3), new SurveyResponse { RunId = run.Id } };

        var results = SurveyResults.Compute(run, responses);

        Assert.Equal((2, 0.5), (results.Respondents, results.ResponseRate));
        Assert.Equal(0, results.FirstNps!.Score);
    }

    [Fact]
    public void Compute_ChoiceAndMultiCountEachOption()
    {
        var run = Run(anonymous: false, minGroup: 1, prompted: 3);
        run.Questions.Add(new StoredQuestion { Kind = QuestionKind.Multi, Options = ["CI", "Docs", "Onboarding"] });
        var a = Response(run, nps: 9);
        a.Answers.Add(new QuestionAnswer { Question = 1, Choices = [0, 2] });
        var b = Response(run, nps: 9);
        b.Answers.Add(new QuestionAnswer { Question = 1, Choices = [2] });

        var results = SurveyResults.Compute(run, [a, b]);

        Assert.Equal([1, 0, 2], Assert.IsType<ChoiceResult>(results.Questions[1]).Counts);
    }

    [Fact]
    public void Compute_AnonymousBelowMinGroupSize_ShowsNoFigures()
    {
        var run = Run(anonymous: true, minGroup: 3, prompted: 10);

        var results = SurveyResults.Compute(run, [Response(run, nps: 10), Response(run, nps: 0)]);

        Assert.True(results.Suppressed);
        Assert.Null(results.FirstNps);
        Assert.Null(results.ToSummary().Nps);
        Assert.Null(SurveyChart.Distribution("t", results));
    }

    [Fact]
    public void Compute_AnonymousComments_HaveNoAuthor()
    {
        var run = Run(anonymous: true, minGroup: 1, prompted: 1);
        run.Questions.Add(new StoredQuestion { Kind = QuestionKind.Text });
        var response = Response(run, nps: 9);
        response.DisplayName = "Alice";
        response.Answers.Add(new QuestionAnswer { Question = 1, Text = "faster CI please" });

        var results = SurveyResults.Compute(run, [response]);

        Assert.Null(Assert.Single(Assert.IsType<TextResult>(results.Questions[1]).Comments).Author);
    }

    [Fact]
    public void Chart_IsAPng()
    {
        var run = Run(anonymous: false, minGroup: 1, prompted: 2);

        var png = SurveyChart.Distribution("Pulse", SurveyResults.Compute(run, [Response(run, nps: 10), Response(run, nps: 6)]));

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png![..4]);
    }

    private static SurveyRun Run(bool anonymous, int minGroup, int prompted) => new()
    {
        Id = "pulse-1",
        Title = "Pulse",
        Anonymous = anonymous,
        MinGroupSize = minGroup,
        Prompted = prompted,
        Recipients = prompted,
        Questions = [NpsQuestion],
    };

    private static SurveyResponse Response(SurveyRun run, int nps) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        RunId = run.Id,
        Answers = [new QuestionAnswer { Question = 0, Number = nps }],
    };
}
