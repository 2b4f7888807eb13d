using System.Security.Cryptography;
using System.Text;
using LiteDB;
using PlatformBot.Features.Surveys;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Surveys;

/// <summary>
/// Anonymity that holds: the test answers an anonymous survey in the dev chat, stops the bot, and reads the LiteDB file
/// itself, every collection and every document, looking for anything that ties an answer to the person who gave it.
/// </summary>
public sealed class SurveyAnonymityTests
{
    private const string Admin = "priya";
    private const string AliceComment = "the-ci-queue-is-slow-7f3a";

    [Fact]
    public async Task AnonymousAnswers_NothingInTheDatabaseFileLinksThemToTheirPeople()
    {
        var folder = TempFolder.Create();
        var runId = await AnswerAnonymouslyAsync(folder, close: false);

        using var db = Open(folder);
        var responses = db.GetCollection("survey_responses").FindAll().ToList();
        var everythingElse = db.GetCollectionNames().Where(n => n != "survey_responses")
            .SelectMany(n => db.GetCollection(n).FindAll().Select(d => (Collection: n, Json: JsonSerializer.Serialize(d))))
            .ToList();

        Assert.Equal(2, responses.Count);
        foreach (var response in responses)
        {
            var json = JsonSerializer.Serialize(response);
            Assert.DoesNotContain("alice", json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("bob", json, StringComparison.OrdinalIgnoreCase);
            Assert.True(response["UpdatedAt"].IsNull, "an anonymous response carries no time to match against message times");
            var id = response["_id"].AsString;
            var respondent = id[(id.IndexOf('|', StringComparison.Ordinal) + 1)..];
            Assert.DoesNotContain(everythingElse, d => d.Json.Contains(respondent, StringComparison.Ordinal));
        }

        // The comment exists once, in its response; no message in anyone's DM echoes an anonymous answer back.
        Assert.Single(responses, r => JsonSerializer.Serialize(r).Contains(AliceComment, StringComparison.Ordinal));
        Assert.DoesNotContain(everythingElse, d => d.Json.Contains(AliceComment, StringComparison.Ordinal));
        var aliceMessages = everythingElse.Where(d => d.Collection == "devchat_messages" && d.Json.Contains("dm:alice", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(aliceMessages);
        Assert.DoesNotContain(aliceMessages, d => d.Json.Contains("primary", StringComparison.Ordinal)); // no selected button shown

        // The hash is keyed: neither a plain hash of the person nor computable from the file, whose bytes hold no key.
        var key = File.ReadAllText(Path.Combine(folder, RespondentKeys.KeyFileName)).Trim();
        var ids = responses.Select(r => r["_id"].AsString).ToList();
        Assert.DoesNotContain(ids, id => id.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("dev:alice")))[..32], StringComparison.Ordinal));
        Assert.Contains(SurveyResponse.IdOf(runId, KeyedHash(key, runId, "dev:alice")), ids);
        Assert.False(Contains(File.ReadAllBytes(Path.Combine(folder, "platformbot.db")), Encoding.ASCII.GetBytes(key)));
        Assert.False(Contains(File.ReadAllBytes(Path.Combine(folder, "platformbot.db")), Convert.FromBase64String(key)));
    }

    [Fact]
    public async Task AnonymousRunClosed_EvenTheKeyNoLongerLinksAnAnswer()
    {
        var folder = TempFolder.Create();
        var runId = await AnswerAnonymouslyAsync(folder, close: true);

        using var db = Open(folder);
        var ids = db.GetCollection("survey_responses").FindAll().Select(r => r["_id"].AsString).ToList();
        var key = File.ReadAllText(Path.Combine(folder, RespondentKeys.KeyFileName)).Trim();

        Assert.Equal(2, ids.Count);
        Assert.DoesNotContain(SurveyResponse.IdOf(runId, KeyedHash(key, runId, "dev:alice")), ids);
        Assert.DoesNotContain(SurveyResponse.IdOf(runId, KeyedHash(key, runId, "dev:bob")), ids);
    }

    [Fact]
    public async Task AnonymousResultsBelowMinGroupSize_ShowNoFigures()
    {
        var settings = SurveySettings.Nps("dx", "dev:alice", "dev:bob").Anonymous("dx", minGroupSize: 3);
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        var prompt = await SurveyChatTests.SendAsync(bot, "dx", "alice");
        await bot.ClickAsync("alice", prompt, SurveysFeature.AnswerAction, SurveyChatTests.ValueOf(prompt, "2"));

        var results = SurveyChatTests.Text(await bot.SayAsync(Admin, "/survey results dx"));

        Assert.Contains("Fewer than 3 people answered, so no figures are shown", results, StringComparison.Ordinal);
        Assert.DoesNotContain("NPS", results, StringComparison.Ordinal);
    }

    private static async Task<string> AnswerAnonymouslyAsync(string folder, bool close)
    {
        var settings = new SurveySettings().Survey("dx", ["dev:alice", "dev:bob"], ("nps", "Recommend?"), ("text", "What should we fix?")).Anonymous("dx", minGroupSize: 2);
        await using var bot = await TestBot.StartAsync(folder, settings: settings.ToDictionary());
        var alice = await SurveyChatTests.SendAsync(bot, "dx", "alice");
        await bot.ClickAsync("alice", alice, SurveysFeature.AnswerAction, SurveyChatTests.ValueOf(alice, "9"));
        var form = (await bot.ClickAsync("alice", await SurveyChatTests.LastAsync(bot, "alice"), SurveysFeature.CommentAction))[0]!;
        await bot.SubmitAsync("alice", form, new Dictionary<string, string> { ["text"] = AliceComment });
        var bob = await SurveyChatTests.LastAsync(bot, "bob");
        await bot.ClickAsync("bob", bob, SurveysFeature.AnswerAction, SurveyChatTests.ValueOf(bob, "3"));
        if (close)
        {
            await bot.SayAsync(Admin, "/survey close dx");
            await bot.DeliverOutboxAsync();
        }

        return SurveyChatTests.ValueOf(alice, "0").Split('|')[0];
    }

    private static LiteDatabase Open(string folder) =>
        new(new ConnectionString { Filename = Path.Combine(folder, "platformbot.db"), Connection = ConnectionType.Direct, ReadOnly = true });

    private static string KeyedHash(string key, string runId, string userKey) =>
        "h" + Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(runId + "\n" + userKey)).AsSpan(0, 16));

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
