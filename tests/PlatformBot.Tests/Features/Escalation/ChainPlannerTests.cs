using PlatformBot.Features.Escalation;

namespace PlatformBot.Tests.Features.Escalation;

public sealed class ChainPlannerTests
{
    private static readonly DateTimeOffset MondayTen = Calendars.MondayTen;
    private static readonly DateTimeOffset SaturdayNight = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero); // Sat 02:00 Berlin

    private static EscalationPolicy Policy(int repeat = 0, bool pageAfterHours = false) => new(
        "test",
        [
            new EscalationLevel([new EscalationTarget(TargetKind.Schedule, "primary")], TimeSpan.FromMinutes(10)),
            new EscalationLevel([new EscalationTarget(TargetKind.User, "lead"), new EscalationTarget(TargetKind.Channel, "ops")], TimeSpan.FromMinutes(20)),
        ],
        repeat,
        pageAfterHours,
        _ => Calendars.Office);

    private static IEnumerable<Recipient> Everyone(EscalationTarget target, DateTimeOffset at) => target.Kind switch
    {
        TargetKind.Schedule => [new Recipient(RecipientKind.Person, "dana", "on call in primary")],
        TargetKind.User => [new Recipient(RecipientKind.Person, target.Name, "named in the policy")],
        _ => [new Recipient(RecipientKind.Channel, target.Name, "channel")],
    };

    private static IEnumerable<Recipient> NobodyOnCall(EscalationTarget target, DateTimeOffset at) =>
        target.Kind == TargetKind.Schedule ? [] : Everyone(target, at);

    private static string Describe(PlannedStep s) => s.Step switch
    {
        PageStep p => $"+{(int)(s.At - MondayTen).TotalMinutes} L{p.Level + 1}R{p.Round} {string.Join(",", p.Recipients.Select(r => r.Id))}",
        WaitStep w => $"wait until {w.Until:O}",
        _ => $"+{(int)(s.At - MondayTen).TotalMinutes} end",
    };

    [Fact]
    public void NoAnswer_WalksEveryLevel_ThenEnds()
    {
        var steps = ChainPlanner.Simulate(Policy(), "P1", MondayTen, Everyone);

        Assert.Equal(["+0 L1R0 dana", "+10 L2R0 lead,ops", "+30 end"], steps.Select(Describe));
    }

    [Fact]
    public void Repeat_RunsTheWholeChainAgain()
    {
        var steps = ChainPlanner.Simulate(Policy(repeat: 1), "P1", MondayTen, Everyone);

        Assert.Equal(["+0 L1R0 dana", "+10 L2R0 lead,ops", "+30 L1R1 dana", "+40 L2R1 lead,ops", "+60 end"], steps.Select(Describe));
    }

    [Fact]
    public void LevelWithNobody_IsSkippedWithoutWaiting()
    {
        var step = Assert.IsType<PageStep>(ChainPlanner.Next(Policy(), "P1", new ChainPosition(0, 0), MondayTen, NobodyOnCall));

        Assert.Equal(1, step.Level);
        Assert.Equal([0], step.SkippedLevels);
    }

    [Fact]
    public void LowPriorityOutsideHours_WaitsForTheCalendar()
    {
        var step = ChainPlanner.Next(Policy(), "P3", new ChainPosition(0, 0), SaturdayNight, Everyone);

        Assert.Equal(new WaitStep(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)), step);
    }

    [Theory]
    [InlineData("P1", false)]
    [InlineData("P2", false)]
    [InlineData("P4", true)]
    public void OutsideHours_OnlyLowPriorityWaits(string priority, bool waits)
    {
        var step = ChainPlanner.Next(Policy(), priority, new ChainPosition(0, 0), SaturdayNight, Everyone);

        Assert.Equal(waits, step is WaitStep);
    }

    [Fact]
    public void AfterHoursPage_PagesLowPriorityAtNightToo()
    {
        var step = ChainPlanner.Next(Policy(pageAfterHours: true), "P4", new ChainPosition(0, 0), SaturdayNight, Everyone);

        Assert.IsType<PageStep>(step);
    }

    [Fact]
    public void PastTheLastLevelOfTheLastRound_TheChainIsExhausted()
    {
        Assert.IsType<ExhaustedStep>(ChainPlanner.Next(Policy(repeat: 1), "P1", new ChainPosition(2, 1), MondayTen, Everyone));
    }
}
