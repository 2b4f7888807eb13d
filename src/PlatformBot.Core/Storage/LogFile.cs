namespace PlatformBot.Storage;

/// <summary>
/// LiteDB's log file, as the stream LiteDB is given (<see cref="PlatformDatabase.Open"/>). LiteDB writes a commit's pages
/// one 8 KB page at a time at consecutive positions, and a checkpoint reads the whole log back page by page: one system
/// call per page, which was 11 % of the server's CPU under the Teams load (about 12 page writes and 8 page reads per
/// message). Here, consecutive writes are gathered and reach the file as one write when the commit is synced, or when
/// anything reads or resizes the file; and reads that follow one another are served from a
/// read-ahead that doubles up to 1 MiB. Durability is unchanged: a commit is acknowledged only after
/// <see cref="FlushToDisk"/>, which writes what is gathered before the fsync (<see cref="DurableLog"/>).
/// </summary>
/// <remarks>
/// LiteDB locks the stream for each read and write, but reads Length, flushes and resizes it without a lock, so every
/// member takes this class's own lock.
/// </remarks>
internal sealed class LogFile : Stream
{
    private const int PageSize = 8192;
    private const int MaxGathered = 1 << 20;
    private const int MaxReadAhead = 1 << 20;

    private readonly FileStream _file;
    private readonly Lock _sync = new();

    private byte[] _gathered = new byte[64 * 1024];
    private long _gatheredAt;
    private int _gatheredLength;

    private byte[] _readAhead = [];
    private long _readAheadAt;
    private int _readAheadLength;
    private long _lastReadEnd = -1;
    private int _readAheadSize = PageSize;

    private long _position;

    public LogFile(FileStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
    }

    public string Name => _file.Name;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length
    {
        get
        {
            lock (_sync)
            {
                var onDisk = RandomAccess.GetLength(_file.SafeFileHandle);
                return _gatheredLength > 0 ? Math.Max(onDisk, _gatheredAt + _gatheredLength) : onDisk;
            }
        }
    }

    public override long Position
    {
        get
        {
            lock (_sync)
            {
                return _position;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_sync)
            {
                _position = value;
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        lock (_sync)
        {
            WriteGathered();
            var read = ReadAt(_position, buffer);
            _position += read;
            return read;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_sync)
        {
            _readAheadLength = 0; // what was read ahead may be what this overwrites
            var continues = _gatheredLength > 0 && _position == _gatheredAt + _gatheredLength;
            if (!continues || _gatheredLength + buffer.Length > MaxGathered)
            {
                WriteGathered();
            }

            if (buffer.Length >= MaxGathered)
            {
                RandomAccess.Write(_file.SafeFileHandle, buffer, _position);
            }
            else
            {
                if (_gatheredLength == 0)
                {
                    _gatheredAt = _position;
                }

                if (_gatheredLength + buffer.Length > _gathered.Length)
                {
                    Array.Resize(ref _gathered, Math.Min(MaxGathered, Math.Max(_gathered.Length * 2, _gatheredLength + buffer.Length)));
                }

                buffer.CopyTo(_gathered.AsSpan(_gatheredLength));
                _gatheredLength += buffer.Length;
            }

            _position += buffer.Length;
        }
    }

    /// <summary>
    /// Nothing: LiteDB calls it whenever its queue of pages runs empty, which is after every page when the commit's own
    /// thread drains the queue. What is gathered reaches the file when it is read, resized, synced or disposed, or when
    /// 1 MiB is gathered; no other process reads it (<see cref="PlatformDatabase.Open"/> locks the database).
    /// </summary>
    public override void Flush()
    {
    }

    /// <summary>Writes what is gathered and fsyncs the file.</summary>
    public void FlushToDisk()
    {
        lock (_sync)
        {
            WriteGathered();
            _file.Flush(flushToDisk: true);
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        lock (_sync)
        {
            var position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => Length + offset,
            };
            ArgumentOutOfRangeException.ThrowIfNegative(position, nameof(offset));
            return _position = position;
        }
    }

    public override void SetLength(long value)
    {
        lock (_sync)
        {
            WriteGathered();
            _readAheadLength = 0;
            _lastReadEnd = -1;
            _file.SetLength(value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_sync)
            {
                WriteGathered();
                _file.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void WriteGathered()
    {
        if (_gatheredLength == 0)
        {
            return;
        }

        RandomAccess.Write(_file.SafeFileHandle, _gathered.AsSpan(0, _gatheredLength), _gatheredAt);
        _gatheredLength = 0;
    }

    private int ReadAt(long position, Span<byte> buffer)
    {
        if (_readAheadLength > 0 && position >= _readAheadAt && position + buffer.Length <= _readAheadAt + _readAheadLength)
        {
            _readAhead.AsSpan((int)(position - _readAheadAt), buffer.Length).CopyTo(buffer);
            _lastReadEnd = position + buffer.Length;
            return buffer.Length;
        }

        // A read where the last one ended is part of a scan (a checkpoint reading the log): read ahead, further each time.
        var sequential = position == _lastReadEnd;
        _readAheadSize = sequential ? Math.Min(MaxReadAhead, _readAheadSize * 2) : PageSize;
        int read;
        if (sequential && _readAheadSize > buffer.Length)
        {
            if (_readAhead.Length < _readAheadSize)
            {
                _readAhead = new byte[_readAheadSize];
            }

            _readAheadLength = RandomAccess.Read(_file.SafeFileHandle, _readAhead.AsSpan(0, _readAheadSize), position);
            _readAheadAt = position;
            read = Math.Min(buffer.Length, _readAheadLength);
            _readAhead.AsSpan(0, read).CopyTo(buffer);
        }
        else
        {
            read = RandomAccess.Read(_file.SafeFileHandle, buffer, position);
        }

        _lastReadEnd = position + read;
        return read;
    }
}
