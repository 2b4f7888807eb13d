using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Features.Tickets;

public sealed class TicketsOptions
{
    public const string SectionName = "Tickets";

    /// <summary>The first part of ticket ids (<c>PLAT</c> in <c>PLAT-42</c>).</summary>
    [Required]
    [RegularExpression("^[A-Z][A-Z0-9]{0,9}$", ErrorMessage = "Tickets:Prefix must be 1–10 capital letters or digits starting with a letter, such as PLAT.")]
    public string Prefix { get; set; } = "PLAT";

    /// <summary>How long after resolving or closing a requester or agent may reopen a ticket (admins may always).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "Tickets:ReopenWindow must be between 00:00:00 and 365.00:00:00.")]
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(14);
}
