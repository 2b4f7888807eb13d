namespace PlatformBot.Features.Escalation;

/// <summary>LiteDB keeps DateTime to the millisecond and may hand it back as local time; instants are read back as UTC.</summary>
internal static class Stored
{
    public static DateTimeOffset Read(DateTime value) => new(value.ToUniversalTime(), TimeSpan.Zero);

    public static DateTimeOffset? Read(DateTime? value) => value is { } v ? Read(v) : null;
}
