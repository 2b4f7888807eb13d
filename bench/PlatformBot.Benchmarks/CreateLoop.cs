using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Benchmarks;

/// <summary>
/// `create [tickets] [callers]`: files tickets through the router of the whole host (LiteDB on disk), three rounds, for a
/// quick figure and for profiling (`dotnet-trace collect -- dotnet PlatformBot.Benchmarks.dll create`).
/// </summary>
internal static class CreateLoop
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tickets = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var callers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 64;
        var app = await BenchHost.StartAsync(BenchHost.TempFolder("create-loop"));
        var router = app.Services.GetRequiredService<IBotRouter>();
        var support = new ConversationAddress(Channels.DevChat, "support");
        var message = 0;
        for (var round = 0; round < 3; round++)
        {
            var remaining = tickets;
            var written = LiteDbCeiling.WrittenBytes();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
            {
                var user = new UserRef(Channels.DevChat, $"user{caller}");
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    var id = Interlocked.Increment(ref message);
                    var reply = await router.HandleCommandAsync(new IncomingCommand("ticket", "p3 #ci Build agents are out of disk", user, support) { MessageId = $"m{id}" });
                    if (reply.CardKey is null)
                    {
                        throw new InvalidOperationException("Filing failed: " + reply.ToPlainText());
                    }
                }
            }));
            Console.WriteLine($"round {round}: {tickets} tickets with {callers} callers in {clock.Elapsed.TotalSeconds:F2} s = {tickets / clock.Elapsed.TotalSeconds:F0}/s, {(LiteDbCeiling.WrittenBytes() - written) / 1e6 / (tickets / 1000.0):F1} MB written per 1,000");
        }

        await BenchHost.StopAsync(app);
        return 0;
    }
}
