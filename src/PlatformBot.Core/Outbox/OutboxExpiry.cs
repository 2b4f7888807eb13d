using Microsoft.Extensions.Options;
using PlatformBot.Scheduling;

namespace PlatformBot.Outbox;

/// <summary>Forgets delivered messages after <see cref="OutboxOptions.KeepDelivered"/>.</summary>
internal sealed class OutboxExpiry(LiteDbOutbox outbox, TimeProvider time, IOptions<OutboxOptions> options) : ISweep
{
    public Task<int> RunDueAsync(CancellationToken cancellationToken) =>
        Task.FromResult(outbox.DeleteDelivered((time.GetUtcNow() - options.Value.KeepDelivered).UtcDateTime));
}
