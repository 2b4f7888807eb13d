using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

public sealed class PlatformDatabaseTests
{
    [Fact]
    public void FileThatIsNotLiteDb_IsRefusedWithItsPath_AndLeftUnchanged()
    {
        var path = Path.Combine(TempFolder.Create(), "platformbot.db");
        var content = new byte[16384];
        Array.Fill(content, (byte)'x');
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<StorageException>(() => PlatformDatabase.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public void FileLockedByAnotherOpener_IsRefusedWithItsPath()
    {
        var path = Path.Combine(TempFolder.Create(), "platformbot.db");
        using var first = PlatformDatabase.Open(path);

        var error = Assert.Throws<StorageException>(() => PlatformDatabase.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATransactionHoldingAbandonedWork_RollsBackInsteadOfCommitting()
    {
        using var database = PlatformDatabase.Open(Path.Combine(TempFolder.Create(), "platformbot.db"));
        var rows = database.Collection<LiteDB.BsonDocument>("rows");
        var afterCommit = 0;

        Assert.Throws<AbandonedWorkException>(() => database.InTransaction(() =>
        {
            rows.Insert(new LiteDB.BsonDocument { ["_id"] = "kept?" });
            PlatformDatabase.AfterCommit(() => afterCommit++);
            PlatformDatabase.AbandonOpenWork(); // what the router does when a handler inside the transaction throws
        }));

        Assert.Equal(0, rows.Count());
        Assert.Equal(0, afterCommit);
        Assert.False(PlatformDatabase.TakeAbandonedWork()); // no transaction, no mark left behind

        // Outside a transaction there is nothing to abandon: the next transaction commits as usual.
        PlatformDatabase.AbandonOpenWork();
        database.InTransaction(() => rows.Insert(new LiteDB.BsonDocument { ["_id"] = "stored" }));
        Assert.Equal(1, rows.Count());
    }

    [Fact]
    public void AnOwnerThatTakesTheAbandonedMark_DecidesItself()
    {
        // The Slack batch takes the mark right after each delivery's work, to answer that delivery with its apology and
        // roll the batch back itself once it has seen them all.
        using var database = PlatformDatabase.Open(Path.Combine(TempFolder.Create(), "platformbot.db"));
        var rows = database.Collection<LiteDB.BsonDocument>("rows");

        database.InTransaction(() =>
        {
            Assert.False(PlatformDatabase.TakeAbandonedWork());
            rows.Insert(new LiteDB.BsonDocument { ["_id"] = "first" });
            PlatformDatabase.AbandonOpenWork();
            Assert.True(PlatformDatabase.TakeAbandonedWork());
            Assert.False(PlatformDatabase.TakeAbandonedWork()); // taken once
        });

        Assert.Equal(1, rows.Count());
    }
}
