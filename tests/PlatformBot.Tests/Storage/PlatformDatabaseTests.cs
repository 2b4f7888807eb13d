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
}
