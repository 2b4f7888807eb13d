using LiteDB;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

/// <summary>
/// A commit that returned is on disk: nothing of it waits in LiteDB's writer queue (LiteDB alone returns from Commit
/// while its background writer still holds the pages, hundreds for these transactions), and a copy of the files taken
/// at that instant (what a killed process leaves behind) opens with the data in it.
/// </summary>
public sealed class DurableCommitTests
{
    private const int Rows = 400;

    [Fact]
    public void ATransaction_IsInTheFilesWhenInTransactionReturns()
    {
        var folder = TempFolder.Create();
        using var database = PlatformDatabase.Open(Path.Combine(folder, "platformbot.db"));
        var rows = database.Collection<BsonDocument>("rows");

        for (var round = 0; round < 5; round++)
        {
            database.InTransaction(() =>
            {
                for (var i = 0; i < Rows; i++)
                {
                    rows.Insert(new BsonDocument { ["_id"] = $"{round}-{i}", ["text"] = new string('x', 4_000) });
                }
            });

            Assert.Equal(0, database.QueuedPages);
            Assert.Equal((round + 1) * Rows, CountInACopyOf(folder, "rows"));
        }
    }

    [Fact]
    public void ASingleWriteOutsideATransaction_IsInTheFilesWhenItReturns()
    {
        var folder = TempFolder.Create();
        using var database = PlatformDatabase.Open(Path.Combine(folder, "platformbot.db"));
        var rows = database.Collection<BsonDocument>("rows");

        for (var round = 0; round < 5; round++)
        {
            rows.InsertBulk(Enumerable.Range(0, Rows).Select(i => new BsonDocument { ["_id"] = $"{round}-{i}", ["text"] = new string('x', 4_000) }));

            Assert.Equal(0, database.QueuedPages);
            Assert.Equal((round + 1) * Rows, CountInACopyOf(folder, "rows"));
        }
    }

    private static int CountInACopyOf(string folder, string collection)
    {
        var copy = TempFolder.Create();
        foreach (var file in Directory.GetFiles(folder, "*.db"))
        {
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var target = File.Create(Path.Combine(copy, Path.GetFileName(file)));
            source.CopyTo(target);
        }

        using var reopened = new LiteDatabase(new ConnectionString { Filename = Path.Combine(copy, "platformbot.db"), Connection = ConnectionType.Direct });
        return reopened.GetCollection(collection).Count();
    }
}
