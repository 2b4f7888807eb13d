using System.Threading.Channels;

namespace PlatformBot.Storage;

/// <summary>
/// Group commit on the platform database: writes queued from many threads run in order, together, in one transaction, so
/// they share one commit and its flush to disk. A caller's task completes when its write is durable. When a batch fails,
/// each of its writes runs again alone, so one failure fails only itself. A caller that is inside a transaction already
/// (a channel's own batch of deliveries) has its write joined to that transaction, at once, instead: its commit is the
/// caller's, and it saves a second commit per request. Writes that must wait for a commit register with
/// <see cref="PlatformDatabase.AfterCommit"/>, which serves both paths.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    private readonly PlatformDatabase _database;
    private readonly int _maxBatch;
    private readonly Channel<IWrite> _queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public GroupCommit(PlatformDatabase database, int maxBatch = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _database = database;
        _maxBatch = maxBatch;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task<T> WriteAsync<T>(Func<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_database.InTransactionOnThisThread)
        {
            try
            {
                return Task.FromResult(write());
            }
            catch (Exception ex)
            {
                return Task.FromException<T>(ex);
            }
        }

        var item = new Write<T>(write);
        return _queue.Writer.TryWrite(item) ? item.Task : Task.FromException<T>(new ObjectDisposedException(nameof(GroupCommit)));
    }

    public Task WriteAsync(Action write) => WriteAsync(() =>
    {
        write();
        return true;
    });

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<IWrite>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Let the work that is already waiting for a thread run first (requests whose last write just committed, new
            // ones that arrived during the commit) so that the writes it makes join this batch instead of the next: on the
            // Teams load, on one core, batches grew and a message cost about 20 us less CPU (fewer commits, each LiteDB
            // page copied, logged and checkpointed once for more writes). It costs one trip through the thread pool.
            await Task.Yield();

            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            Run(batch);
            foreach (var item in batch)
            {
                item.Complete();
            }
        }
    }

    private void Run(List<IWrite> batch)
    {
        try
        {
            _database.InTransaction(() => batch.ForEach(item => item.Run()));
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var item in batch)
            {
                try
                {
                    _database.InTransaction(item.Run);
                }
                catch (Exception ex)
                {
                    item.Fail(ex);
                }
            }
        }
        catch (Exception ex)
        {
            batch[0].Fail(ex);
        }
    }

    private interface IWrite
    {
        void Run();

        void Fail(Exception exception);

        void Complete();
    }

    private sealed class Write<T>(Func<T> write) : IWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;

        public Task<T> Task => _done.Task;

        public void Run()
        {
            _failure = null;
            _result = write();
        }

        public void Fail(Exception exception) => _failure = exception;

        public void Complete()
        {
            if (_failure is not null)
            {
                _done.TrySetException(_failure);
            }
            else
            {
                _done.TrySetResult(_result!);
            }
        }
    }
}
