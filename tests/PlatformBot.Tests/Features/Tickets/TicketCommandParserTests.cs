using PlatformBot.Features.Tickets;

namespace PlatformBot.Tests.Features.Tickets;

public sealed class TicketCommandParserTests
{
    [Theory]
    [InlineData("VPN is down", "VPN is down", TicketPriority.P3, null)]
    [InlineData("p1 VPN is down", "VPN is down", TicketPriority.P1, null)]
    [InlineData("VPN is down P2 #Network", "VPN is down", TicketPriority.P2, "network")]
    [InlineData("#ci builds hang p4", "builds hang", TicketPriority.P4, "ci")]
    [InlineData("close the firewall port 22", "close the firewall port 22", TicketPriority.P3, null)]
    [InlineData("list of DNS servers is stale", "list of DNS servers is stale", TicketPriority.P3, null)]
    [InlineData("#1 priority: fix #ci and #cd", "#1 priority: fix and #cd", TicketPriority.P3, "ci")]
    public void Summary_IsFiledWithPriorityAndCategory(string text, string summary, TicketPriority priority, string? category)
    {
        var command = TicketCommandParser.Parse(text, "PLAT");

        Assert.Equal(new FileTicket(summary, priority, category), command);
    }

    [Theory]
    [InlineData("list", "Mine")]
    [InlineData("list mine", "Mine")]
    [InlineData("list OPEN", "Open")]
    [InlineData("list all", "All")]
    [InlineData("list breaching", "Breaching")]
    public void List_TakesItsFilter(string text, string kind)
    {
        Assert.Equal(new ListTickets(Enum.Parse<TicketListKind>(kind)), TicketCommandParser.Parse(text, "PLAT"));
    }

    [Theory]
    [InlineData("ack PLAT-42", "Acknowledge", "PLAT-42", null, null, null)]
    [InlineData("ack plat-42", "Acknowledge", "PLAT-42", null, null, null)]
    [InlineData("wait 42", "Wait", "PLAT-42", null, null, null)]
    [InlineData("assign PLAT-7 me", "Assign", "PLAT-7", null, "me", null)]
    [InlineData("assign PLAT-7 <@U024BE7LH|dana>", "Assign", "PLAT-7", null, "<@U024BE7LH|dana>", null)]
    [InlineData("resolve PLAT-7", "Resolve", "PLAT-7", null, null, null)]
    [InlineData("resolve PLAT-7 restarted the gateway", "Resolve", "PLAT-7", "restarted the gateway", null, null)]
    [InlineData("comment PLAT-7 still broken here", "Comment", "PLAT-7", "still broken here", null, null)]
    [InlineData("priority PLAT-7 P1", "Priority", "PLAT-7", null, null, TicketPriority.P1)]
    [InlineData("reopen PLAT-7", "Reopen", "PLAT-7", null, null, null)]
    [InlineData("close #7", "Close", "PLAT-7", null, null, null)]
    public void Change_IsParsed(string text, string verb, string id, string? note, string? assignee, TicketPriority? priority)
    {
        var expected = new ChangeTicket(Enum.Parse<TicketVerb>(verb), id) { Text = note, Assignee = assignee, Priority = priority };

        Assert.Equal(expected, TicketCommandParser.Parse(text, "PLAT"));
    }

    [Theory]
    [InlineData("show PLAT-3")]
    [InlineData("sla 3")]
    public void ShowAndSla_NameTheTicket(string text)
    {
        var command = TicketCommandParser.Parse(text, "PLAT");

        Assert.Contains(command, new TicketCommand[] { new ShowTicket("PLAT-3"), new ExplainSla("PLAT-3") });
    }

    [Fact]
    public void NoText_OpensTheForm()
    {
        Assert.IsType<OpenTicketForm>(TicketCommandParser.Parse("   ", "PLAT"));
    }

    [Theory]
    [InlineData("p5 VPN is down", "p5")]
    [InlineData("p1 VPN p2", "Two priorities")]
    [InlineData("p2 #network", "summary is empty")]
    [InlineData("priority PLAT-1 urgent", "urgent is not a priority")]
    [InlineData("priority PLAT-1", "Which priority")]
    [InlineData("ack", "Which ticket")]
    [InlineData("ack PLAT-x", "is not a ticket id")]
    [InlineData("ack PLAT-1 now", "takes nothing more")]
    [InlineData("assign PLAT-1", "to whom")]
    [InlineData("comment PLAT-1", "What is the comment")]
    [InlineData("list sideways", "mine")]
    public void BadInput_SaysWhatIsWrong(string text, string expected)
    {
        var command = TicketCommandParser.Parse(text, "PLAT");

        var error = Assert.IsType<TicketParseError>(command);
        Assert.Contains(expected, error.Message.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public void OverlongSummary_StatesTheLimit()
    {
        var command = TicketCommandParser.Parse(new string('x', 151), "PLAT");

        var error = Assert.IsType<TicketParseError>(command);
        Assert.Contains("151 characters long; the limit is 150", error.Message.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public void UserText_InAnError_IsNeverMarkup()
    {
        var command = TicketCommandParser.Parse("priority PLAT-1 *[x](https://evil.example)*", "PLAT");

        var error = Assert.IsType<TicketParseError>(command);
        Assert.All(error.Message.Runs.Where(r => r.Text.Contains("evil", StringComparison.Ordinal)), r => Assert.True(r.IsUserText && r.Url is null));
    }
}
