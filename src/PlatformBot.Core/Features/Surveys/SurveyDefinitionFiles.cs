using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace PlatformBot.Features.Surveys;

/// <summary>Reads the YAML files under <c>Surveys:Folder</c> into the definitions; problems are kept for validation to report.</summary>
internal static class SurveyDefinitionFiles
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithCaseInsensitivePropertyMatching()
        .Build();

    public static void Load(SurveysOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Folder))
        {
            return;
        }

        var folder = Path.GetFullPath(options.Folder);
        if (!Directory.Exists(folder))
        {
            options.LoadErrors.Add($"Surveys:Folder '{options.Folder}' does not exist ({folder}).");
            return;
        }

        var files = Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml")).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetRelativePath(folder, file);
            Dictionary<string, SurveyDefinition>? read;
            try
            {
                read = Yaml.Deserialize<Dictionary<string, SurveyDefinition>>(File.ReadAllText(file));
            }
            catch (YamlException ex)
            {
                options.LoadErrors.Add($"Surveys:Folder file '{name}' is not a valid survey file at line {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}");
                continue;
            }
            catch (IOException ex)
            {
                options.LoadErrors.Add($"Surveys:Folder file '{name}' cannot be read: {ex.Message}");
                continue;
            }

            foreach (var (id, definition) in read ?? [])
            {
                if (definition is null)
                {
                    options.LoadErrors.Add($"Surveys:Folder file '{name}': survey '{id}' is empty.");
                    continue;
                }

                if (options.Definitions.ContainsKey(id))
                {
                    options.LoadErrors.Add($"Surveys:Folder file '{name}': survey '{id}' is defined twice (in Surveys:Definitions or another file).");
                    continue;
                }

                definition.Source = $"Surveys:Folder '{name}' {id}";
                options.Definitions[id] = definition;
            }
        }
    }
}
