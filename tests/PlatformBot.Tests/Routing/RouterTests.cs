using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Routing;

public sealed class RouterTests
{
    [Fact]
    public async Task Help_ListsRegisteredCommands()
    {
        await using var bot = await TestBot.StartAsync(services: s => s.AddCommand<EchoHandler>("echo", "Repeat what you say", "`/echo <text>`"));

        var answer = await bot.SayAsync("alice", "help");

        var text = (string)answer.Single()!["text"]!;
        Assert.Contains("/echo", text, StringComparison.Ordinal);
        Assert.Contains("Repeat what you say", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_HidesAdminCommands_FromRequesters_AndShowsThemToAdmins()
    {
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["Team:Admins:0"] = "dev:root" });

        var requester = (string)(await bot.SayAsync("alice", "help")).Single()!["text"]!;
        var admin = (string)(await bot.SayAsync("root", "help")).Single()!["text"]!;

        Assert.DoesNotContain("/platform", requester, StringComparison.Ordinal);
        Assert.Contains("/platform", admin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_AnswersWithTheListOfCommands()
    {
        await using var bot = await TestBot.StartAsync(services: s => s.AddCommand<EchoHandler>("echo", "Repeat what you say", "`/echo <text>`"));

        var answer = (await bot.SayAsync("alice", "/frobnicate now")).Single()!;

        Assert.Contains("don't know the command", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.Contains("/echo", (string)answer["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerThatThrows_GivesAnApologyWithAReference_AndTheHostKeepsServing()
    {
        await using var bot = await TestBot.StartAsync(services: s =>
        {
            s.AddCommand<ThrowingHandler>("boom", "Fails", "`/boom`");
            s.AddCommand<EchoHandler>("echo", "Repeat", "`/echo`");
        });

        var apology = (string)(await bot.SayAsync("alice", "/boom")).Single()!["text"]!;
        var after = (string)(await bot.SayAsync("alice", "/echo still here")).Single()!["text"]!;

        Assert.Matches("Sorry, something went wrong.*reference [0-9a-f]{12}", apology);
        Assert.DoesNotContain("secret detail", apology, StringComparison.Ordinal);
        Assert.Equal("still here", after);
    }

    [Fact]
    public async Task AHandlersOwnTimeout_GivesTheApology_NotAnError()
    {
        await using var bot = await TestBot.StartAsync(services: s => s.AddCommand<TimingOutHandler>("slow", "Times out", "`/slow`"));

        var apology = (string)(await bot.SayAsync("alice", "/slow")).Single()!["text"]!;

        Assert.Matches("Sorry, something went wrong.*reference [0-9a-f]{12}", apology);
    }

    [Fact]
    public async Task ARequestThatWentAway_IsCancelled_NotAnsweredWithAnApology()
    {
        await using var bot = await TestBot.StartAsync(services: s => s.AddCommand<TimingOutHandler>("slow", "Times out", "`/slow`"));
        var router = bot.Services.GetRequiredService<IBotRouter>();
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            router.HandleCommandAsync(new IncomingCommand("slow", "", new UserRef("dev", "alice"), new ConversationAddress("dev", "general")), gone.Token));
    }

    [Fact]
    public async Task OversizedText_IsRefusedWithTheLimit_AndNotHandled()
    {
        await using var bot = await TestBot.StartAsync(services: s => s.AddCommand<EchoHandler>("echo", "Repeat", "`/echo`"));

        var answer = (string)(await bot.SayAsync("alice", "/echo " + new string('x', 5000))).Single()!["text"]!;

        Assert.Contains("the limit is 4,000", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCommand_ByRequester_IsRefused()
    {
        await using var bot = await TestBot.StartAsync();

        var answer = (string)(await bot.SayAsync("alice", "/platform outbox")).Single()!["text"]!;

        Assert.Contains("for the platform team's admins", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateCommandNames_AreRefusedAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RouteTable(
            [new CommandRoute("ticket", "a", "b", typeof(EchoHandler)), new CommandRoute("Ticket", "a", "b", typeof(EchoHandler))], [], []));

        Assert.Contains("ticket", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    internal sealed class EchoHandler : ICommandHandler
    {
        public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken) =>
            Task.FromResult(Reply.Text(Md.Text($"{command.Text}")));
    }

    /// <summary>Its own call to something slow gave up (an HttpClient timeout is a TaskCanceledException).</summary>
    internal sealed class TimingOutHandler : ICommandHandler
    {
        public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken) =>
            cancellationToken.IsCancellationRequested ? Task.FromCanceled<Reply>(cancellationToken) : throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout");
    }

    internal sealed class ThrowingHandler : ICommandHandler
    {
        public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret detail");
    }
}
