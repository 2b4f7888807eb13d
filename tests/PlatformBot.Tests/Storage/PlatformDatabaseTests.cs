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
    public void DatesComeBackAsUtc_WhateverTheServersTimeZone_AlsoAfterReopening()
    {
        // LiteDB's default gives back Kind=Local: compared with UTC values (the self-service window, an office-hours
        // slot made into a DateTimeOffset) that is hours off, or throws, when the server is not in UTC.
        var path = Path.Combine(TempFolder.Create(), "platformbot.db");
        var asked = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);
        using (var db = PlatformDatabase.Open(path))
        {
            db.InTransaction(() => db.Collection<Dated>("dated").Insert(new Dated { Id = 1, At = asked }));
        }

        using var reopened = PlatformDatabase.Open(path);
        var read = reopened.Collection<Dated>("dated").FindById(1).At;

        Assert.Equal(DateTimeKind.Utc, read.Kind);
        Assert.Equal(asked, read);
        Assert.Equal(new DateTimeOffset(asked), new DateTimeOffset(read, TimeSpan.Zero));
    }

    private sealed class Dated
    {
        public int Id { get; set; }

        public DateTime At { get; set; }
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
