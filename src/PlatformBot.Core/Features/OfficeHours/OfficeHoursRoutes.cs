namespace PlatformBot.Features.OfficeHours;

internal static class OfficeHoursRoutes
{
    public const string Command = "officehours";
    public const string Prefix = "officehours.";
    public const string JoinForm = "officehours.join";
    public const string JoinSubmit = "officehours.join-submit";
    public const string KeepPlace = "officehours.keep";
    public const string SolvedByDocs = "officehours.docs-solved";
    public const string Leave = "officehours.leave";
    public const string RollAll = "officehours.roll-all";
    public const string TicketAll = "officehours.ticket-all";
    public const string Draft = "officehours.draft";
}
