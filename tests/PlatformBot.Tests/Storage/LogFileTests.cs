using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

public sealed class LogFileTests
{
    private const int Page = 8192;
    private readonly string _path = Path.Combine(TempFolder.Create(), "platformbot-log.db");

    [Fact]
    public void PagesWrittenOneByOne_ReadBackAtOnce_AndAreInTheFileOnceSynced()
    {
        using (var log = Open())
        {
            WritePages(log, 40);

            Assert.Equal(40 * Page, log.Length); // gathered, not yet in the file, but counted
            Assert.Equal(PageOf(17), ReadPage(log, 17)); // a read sees what is gathered

            log.FlushToDisk();
            Assert.Equal(40 * Page, new FileInfo(_path).Length);
        }

        var bytes = File.ReadAllBytes(_path);
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(PageOf(i), bytes.AsSpan(i * Page, Page).ToArray()));
    }

    [Fact]
    public void AScanReadsAhead_AndStillSeesAPageRewrittenMeanwhile()
    {
        using var log = Open();
        WritePages(log, 300);

        log.FlushToDisk();
        log.Position = 0;
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(PageOf(i), ReadPage(log, i)); // by now, pages well past 100 have been read ahead
        }

        log.Position = 150 * Page;
        log.Write(PageOf(1000), 0, Page);

        Assert.Equal(PageOf(1000), ReadPage(log, 150));
        Assert.Equal(PageOf(151), ReadPage(log, 151));
    }

    [Fact]
    public void Truncating_DropsWhatWasGatheredPastTheEnd_AndWhatWasReadAhead()
    {
        using var log = Open();
        WritePages(log, 10);

        Assert.Equal(PageOf(3), ReadPage(log, 3));
        log.SetLength(0);

        Assert.Equal(0, log.Length);
        log.Position = 0;
        log.Write(PageOf(7), 0, Page);
        Assert.Equal(PageOf(7), ReadPage(log, 0));
        Assert.Equal(0, log.Read(new byte[Page], 0, Page)); // nothing past the end: the old pages are gone
    }

    private LogFile Open() => new(new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess));

    /// <summary>Pages 0..count-1, one write each at consecutive positions, as LiteDB's log writer does.</summary>
    private static void WritePages(LogFile log, int count)
    {
        for (var i = 0; i < count; i++)
        {
            log.Position = i * (long)Page;
            log.Write(PageOf(i), 0, Page);
        }
    }

    private static byte[] PageOf(int n)
    {
        var page = new byte[Page];
        new Random(n).NextBytes(page);
        return page;
    }

    private static byte[] ReadPage(LogFile log, int n)
    {
        var page = new byte[Page];
        log.Position = n * (long)Page;
        Assert.Equal(Page, log.Read(page, 0, Page));
        return page;
    }
}
