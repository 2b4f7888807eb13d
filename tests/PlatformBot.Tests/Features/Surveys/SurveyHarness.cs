using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Conversations;
using PlatformBot.Features.Surveys;
using PlatformBot.Outbox;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Surveys;

/// <summary>
/// The surveys feature with the real core (LiteDB file, outbox, dispatcher) and a recording channel, without HTTP:
/// for the tests about many people, where the dev chat would only add noise.
/// </summary>
internal sealed class SurveyHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public SurveyHarness(SurveySettings settings, FakeTimeProvider? time = null, IDictionary<string, string?>? extra = null)
    {
        Folder = TempFolder.Create();
        Time = time ?? new FakeTimeProvider(TestBot.MondayMorning);
        Sender = new RecordingSender();
        var values = settings.ToDictionary();
        values["PlatformBot:DataDirectory"] = Folder;
        values["Team:TimeZone"] = "Europe/Berlin";
        values["Outbox:RatePerSecond:test"] = "50";
        values["Outbox:BatchSize"] = "60";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Time)
            .AddPlatformCore(configuration)
            .AddSurveys(configuration)
            .AddSingleton<IChannelSender>(Sender)
            .AddSingleton<IConversationMembers>(new ListedMembers("test", Members))
            .BuildServiceProvider();
    }

    public string Folder { get; }

    public FakeTimeProvider Time { get; }

    public RecordingSender Sender { get; }

    /// <summary>The members of every conversation of the test channel.</summary>
    public List<UserRef> Members { get; } = [];

    public SurveyRunner Runner => _services.GetRequiredService<SurveyRunner>();

    public ISurveyStore Store => _services.GetRequiredService<ISurveyStore>();

    public LiteDbOutbox Outbox => _services.GetRequiredService<LiteDbOutbox>();

    public OutboxDispatcher Dispatcher => _services.GetRequiredService<OutboxDispatcher>();

    public PlatformDatabase Database => _services.GetRequiredService<PlatformDatabase>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public Task<SurveyRun?> SendAsync(string surveyId) =>
        Runner.StartAsync(surveyId, RunKind.Manual, null, new UserRef("test", "priya"), TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

internal sealed class ListedMembers(string channel, List<UserRef> members) : IConversationMembers
{
    public string Channel => channel;

    public Task<IReadOnlyList<UserRef>> MembersAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UserRef>>([.. members]);
}
