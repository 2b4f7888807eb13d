using System.Threading.Channels;

namespace PlatformBot.Storage;

/// <summary>
/// Group commit on the platform database: writes queued from many threads run in order, together, in one transaction, so
/// they share one flush to disk (each LiteDB commit is one). A caller's task completes when its write is durable. When a
/// batch fails, each of its writes runs again alone, so one failure fails only itself.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    private readonly PlatformDatabase _database;
    private readonly int _maxBatch;
    private readonly Action? _beforeBatch;
    private readonly Action? _afterCommit;
    private readonly Channel<IWrite> _queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <param name="afterCommit">Runs on the writer after each batch is committed, before its callers continue.</param>
    /// <param name="beforeBatch">Runs on the writer before each batch's transaction (a store resets what it tracks per batch).</param>
    public GroupCommit(PlatformDatabase database, int maxBatch = 256, Action? afterCommit = null, Action? beforeBatch = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _database = database;
        _maxBatch = maxBatch;
        _afterCommit = afterCommit;
        _beforeBatch = beforeBatch;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task<T> WriteAsync<T>(Func<T> write)
    {
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
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            _beforeBatch?.Invoke();
            Run(batch);
            _afterCommit?.Invoke();
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
