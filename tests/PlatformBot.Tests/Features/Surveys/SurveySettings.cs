using System.Globalization;

namespace PlatformBot.Tests.Features.Surveys;

/// <summary>Builds the configuration of a survey for a test host or harness; valid defaults, a test overrides what it is about.</summary>
public sealed class SurveySettings
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static SurveySettings Nps(string id, params string[] users) => new SurveySettings().Survey(id, users, ("nps", "How likely are you to recommend the platform to a colleague?"));

    public SurveySettings Survey(string id, IEnumerable<string> users, params (string Kind, string Text)[] questions)
    {
        var prefix = $"Surveys:Definitions:{id}:";
        _values[prefix + "Title"] = "Developer experience pulse " + id;
        var i = 0;
        foreach (var (kind, text) in questions)
        {
            _values[$"{prefix}Questions:{i}:Kind"] = kind;
            _values[$"{prefix}Questions:{i}:Text"] = text;
            if (kind is "choice" or "multi")
            {
                _values[$"{prefix}Questions:{i}:Options:0"] = "CI";
                _values[$"{prefix}Questions:{i}:Options:1"] = "Docs";
                _values[$"{prefix}Questions:{i}:Options:2"] = "Onboarding";
            }

            i++;
        }

        var u = 0;
        foreach (var user in users)
        {
            _values[$"{prefix}Audience:Users:{u++}"] = user;
        }

        _values[prefix + "OpenFor"] = "3.00:00:00";
        _values[prefix + "ResultsChannel"] = "dev:platform";
        return this;
    }

    public SurveySettings Set(string key, string? value)
    {
        _values[key] = value;
        return this;
    }

    public SurveySettings For(string id, string property, string? value) => Set($"Surveys:Definitions:{id}:{property}", value);

    public SurveySettings Anonymous(string id, int minGroupSize) =>
        For(id, "Anonymous", "true").For(id, "MinGroupSize", minGroupSize.ToString(CultureInfo.InvariantCulture));

    public IDictionary<string, string?> ToDictionary() => new Dictionary<string, string?>(_values, StringComparer.Ordinal);
}
