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
            Assert.False(PlatformDatabase.OpenWorkAbandoned);
            PlatformDatabase.AbandonOpenWork(); // what the router does when a handler inside the transaction throws
            Assert.True(PlatformDatabase.OpenWorkAbandoned);
        }));

        Assert.Equal(0, rows.Count());
        Assert.Equal(0, afterCommit);
        Assert.False(PlatformDatabase.OpenWorkAbandoned);

        // Outside a transaction there is nothing to abandon: the next transaction commits as usual.
        PlatformDatabase.AbandonOpenWork();
        database.InTransaction(() => rows.Insert(new LiteDB.BsonDocument { ["_id"] = "stored" }));
        Assert.Equal(1, rows.Count());
    }
}
