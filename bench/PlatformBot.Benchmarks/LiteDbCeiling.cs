using System.Diagnostics;
using LiteDB;

namespace PlatformBot.Benchmarks;

/// <summary>
/// `litedb`: the peer for ticket creation, LiteDB 5.0.20 alone. One thread inserts ticket-sized documents (1.5 KB) in
/// transactions of 64 into a file in direct mode, with no secondary index, with four, and with the eight the tickets
/// collection keeps (due times, state, flags, requester, assignee, filing and resolution times). No router, no events:
/// what the storage engine can do here. Each as LiteDB ships (its log writer fsyncs after every page when the committer
/// wakes it) and as <see cref="Storage.PlatformDatabase"/> opens it (one fsync per commit, after the commit's pages).
/// </summary>
internal static class LiteDbCeiling
{
    private const int Total = 20_000;
    private const int Batch = 64;
    private static readonly string[] TicketIndexes = ["sweepAt", "requester", "breachAt", "state", "overdue", "assignee", "createdAt", "resolvedAt"];

    public static int Run()
    {
        Console.WriteLine("opened as | secondary indexes | document | inserts/s | MB written per 1,000");
        foreach (var (platform, indexes) in new[] { (false, 0), (false, 4), (false, 8), (true, 0), (true, 4), (true, 8) })
        {
            var path = Path.Combine(BenchHost.TempFolder("ceiling"), "ceiling.db");
            using var platformDatabase = platform ? Storage.PlatformDatabase.Open(path) : null;
            using var shipped = platform ? null : new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
            var db = platformDatabase?.Database ?? shipped!;
            var tickets = db.GetCollection("tickets");
            foreach (var field in TicketIndexes.Take(indexes))
            {
                tickets.EnsureIndex(field, "$." + field);
            }

            var padding = new string('x', 1_300);
            var written = WrittenBytes();
            var clock = Stopwatch.StartNew();
            for (var n = 0; n < Total;)
            {
                db.BeginTrans();
                for (var i = 0; i < Batch; i++, n++)
                {
                    var at = 639_000_000_000_000_000L + (n * 10_000_000L);
                    tickets.Insert(TicketDocument($"PLAT-{n}", at, $"devchat:user{n % 64}", padding));
                }

                db.Commit();
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{(platform ? "PlatformDatabase" : "LiteDB as shipped")} | {indexes} | 1.5 KB | {Total / seconds:F0} | {(WrittenBytes() - written) / 1e6 / (Total / 1000.0):F1}");
        }

        return 0;
    }

    /// <summary>A ticket-shaped document: the values the tickets collection's 8 indexes read, and <paramref name="padding"/> for its audit.</summary>
    public static BsonDocument TicketDocument(string id, long at, string? requester, string padding) => new()
    {
        ["_id"] = id,
        ["sweepAt"] = at + 6_000_000_000L,
        ["requester"] = requester,
        ["breachAt"] = at + 8_000_000_000L,
        ["state"] = "New",
        ["overdue"] = false,
        ["assignee"] = BsonValue.Null,
        ["createdAt"] = at,
        ["resolvedAt"] = BsonValue.Null,
        ["audit"] = padding,
    };

    /// <summary>Bytes this process handed to write(2) so far (Linux), or 0 elsewhere.</summary>
    public static long WrittenBytes() =>
        File.Exists("/proc/self/io")
            ? File.ReadLines("/proc/self/io").Where(l => l.StartsWith("wchar:", StringComparison.Ordinal)).Select(l => long.Parse(l[6..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault()
            : 0;
}
