using PlatformBot.Conversations;
using PlatformBot.Features.Sla;
using PlatformBot.Features.Tickets;
using PlatformBot.Tests.Features.Sla;

namespace PlatformBot.Tests.Features.Tickets;

public sealed class TicketTests
{
    private static readonly SlaSettings Sla = SlaSettings.From(SlaOptionsTests.Valid());
    private static readonly DateTimeOffset Monday9 = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(1));
    private static readonly UserRef Alice = new("dev", "alice");
    private static readonly UserRef Dana = new("dev", "dana");
    private static readonly UserRef Omar = new("dev", "omar");

    [Fact]
    public void AgentAcknowledgement_MeetsTheFirstResponse()
    {
        var ticket = Filed(Alice);

        ticket.Acknowledge(Dana, Monday9.AddMinutes(20), Sla);

        Assert.Equal(SlaTimerStatus.Stopped, ticket.Timer(SlaMetric.FirstResponse)!.Status);
        Assert.False(ticket.Timer(SlaMetric.FirstResponse)!.Breached);
    }

    [Fact]
    public void BotComment_NeverCountsAsAResponse()
    {
        var ticket = Filed(Alice);

        ticket.AddComment(new UserRef("system", "platformbot"), "Here is a doc that may help", byAgent: false, byBot: true, Monday9.AddMinutes(1), Sla);

        Assert.True(ticket.Timer(SlaMetric.FirstResponse)!.IsRunning);
    }

    [Fact]
    public void OnATicketAnAgentFiled_HisAcknowledgementDoesNotCount_HisNextPublicReplyDoes()
    {
        var ticket = Filed(Dana, filedByAgent: true);

        ticket.Acknowledge(Dana, Monday9.AddMinutes(5), Sla);
        var afterAck = ticket.Timer(SlaMetric.FirstResponse)!.Status;
        ticket.AddComment(Dana, "Looking at the gateway logs now", byAgent: true, byBot: false, Monday9.AddMinutes(10), Sla);

        Assert.Equal(SlaTimerStatus.Running, afterAck);
        Assert.Equal(Monday9.AddMinutes(10), ticket.Timer(SlaMetric.FirstResponse)!.StoppedAt);
    }

    [Fact]
    public void OnATicketAnAgentFiled_AnotherAgentsAcknowledgementCounts()
    {
        var ticket = Filed(Dana, filedByAgent: true);

        ticket.Acknowledge(Omar, Monday9.AddMinutes(5), Sla);

        Assert.Equal(SlaTimerStatus.Stopped, ticket.Timer(SlaMetric.FirstResponse)!.Status);
    }

    [Fact]
    public void RequesterComment_AfterTheFirstResponse_StartsNextResponse_UntilTheNextAgentReply()
    {
        var ticket = Filed(Alice);
        ticket.Acknowledge(Dana, Monday9.AddMinutes(5), Sla);

        ticket.AddComment(Alice, "Any news?", byAgent: false, byBot: false, Monday9.AddMinutes(30), Sla);
        ticket.AddComment(Alice, "Still down", byAgent: false, byBot: false, Monday9.AddMinutes(40), Sla);
        var running = ticket.Timer(SlaMetric.NextResponse)!;
        var startedAt = running.StartedAt;
        ticket.AddComment(Dana, "Restarting the gateway", byAgent: true, byBot: false, Monday9.AddMinutes(50), Sla);

        Assert.Equal(Monday9.AddMinutes(30), startedAt); // from the oldest unanswered comment
        Assert.Equal(SlaTimerStatus.Stopped, ticket.Timer(SlaMetric.NextResponse)!.Status);
        Assert.Single(ticket.Timers, t => t.Metric == SlaMetric.NextResponse);
    }

    [Fact]
    public void WaitingOnRequester_PausesResolution_HisReplyResumesIt()
    {
        var ticket = Filed(Alice);

        ticket.WaitOnRequester(Dana, Monday9.AddHours(1), Sla);
        var paused = ticket.Timer(SlaMetric.Resolution)!.Status;
        var resumed = ticket.AddComment(Alice, "Here is the log", byAgent: false, byBot: false, Monday9.AddHours(3), Sla);

        Assert.Equal(SlaTimerStatus.Paused, paused);
        Assert.True(resumed);
        Assert.Equal(TicketState.InProgress, ticket.State);
        Assert.Equal(TimeSpan.FromHours(1), ticket.Timer(SlaMetric.Resolution)!.Elapsed(Monday9.AddHours(3), Sla.Calendar("office")));
    }

    [Fact]
    public void Reopen_ResumesTheResolutionClockWhereItStopped()
    {
        var ticket = Filed(Alice);
        ticket.Resolve(Dana, Monday9.AddHours(2), Sla);

        ticket.Reopen(Monday9.AddDays(1), Sla);

        var resolution = ticket.Timer(SlaMetric.Resolution)!;
        Assert.True(resolution.IsRunning);
        Assert.Equal(TimeSpan.FromHours(2), resolution.Elapsed(Monday9.AddDays(1), Sla.Calendar("office")));
        Assert.Equal(TicketState.InProgress, ticket.State);
    }

    [Theory]
    [InlineData("New", "Acknowledge", true)]
    [InlineData("Acknowledged", "Acknowledge", false)]
    [InlineData("InProgress", "Wait", true)]
    [InlineData("WaitingOnRequester", "Wait", false)]
    [InlineData("Resolved", "Reopen", true)]
    [InlineData("Resolved", "Resolve", false)]
    [InlineData("Closed", "Comment", false)]
    [InlineData("Closed", "Reopen", true)]
    public void StateMachine_AllowsOnlyItsTransitions(string state, string verb, bool allowed)
    {
        var ticket = Filed(Alice);
        ticket.State = Enum.Parse<TicketState>(state);

        Assert.Equal(allowed, ticket.Allows(Enum.Parse<TicketVerb>(verb)));
    }

    [Fact]
    public void PriorityRaised_MovesTheDueTimesToTheNewPolicy()
    {
        var ticket = Filed(Alice);

        ticket.ChangePriority(TicketPriority.P1, Monday9.AddMinutes(10), Sla);

        Assert.Equal(Monday9.AddMinutes(15), ticket.Timer(SlaMetric.FirstResponse)!.DueAt);
        Assert.Equal(Monday9.AddMinutes(15) - TimeSpan.FromMinutes(15 * 0.25), ticket.SweepAt);
    }

    private static Ticket Filed(UserRef requester, bool filedByAgent = false)
    {
        var ticket = new Ticket
        {
            Id = "PLAT-1",
            Summary = "VPN is down",
            Priority = TicketPriority.P3,
            Requester = TicketPerson.Of(requester),
            FiledBy = TicketPerson.Of(requester),
            FiledByAgent = filedByAgent,
            CreatedAt = Monday9,
        };
        ticket.StartClocks(Monday9, Sla);
        return ticket;
    }
}
