using System.Diagnostics;
using System.Globalization;
using PlatformBot.Features.Knowledge;

namespace PlatformBot.Host.Cli;

/// <summary>
/// <c>kb eval --corpus &lt;folder&gt; --questions &lt;file.jsonl&gt;</c> and <c>kb search "&lt;text&gt;"</c>: the knowledge search
/// without the bot, for the evaluation contract (../shared/kb-eval/README.md) and for people checking what an article finds.
/// Results go to stdout, everything else to stderr.
/// </summary>
internal static class KnowledgeCli
{
    private const string Usage = """
        Usage:
          kb eval --corpus <folder> --questions <file.jsonl> [--synonyms <file>] [--explain]
          kb search "<text>" [--corpus <folder>] [--synonyms <file>] [--top <n>]
          kb bench --corpus <folder> --questions <file.jsonl> [--scale <n>] [--rounds <n>]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (args.Length == 0)
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }

        var (positional, options) = Parse(args[1..]);
        try
        {
            return args[0] switch
            {
                "eval" => await EvalAsync(options, output, errors),
                "bench" => await KnowledgeBenchmark.RunAsync(options, output, errors),
                "search" when positional.Count > 0 => await SearchAsync(string.Join(' ', positional), options, output, errors),
                _ => await UsageAsync(errors),
            };
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException or ArgumentException)
        {
            await errors.WriteLineAsync("kb: " + ex.Message);
            return 1;
        }
    }

    private static async Task<int> UsageAsync(TextWriter errors)
    {
        await errors.WriteLineAsync(Usage);
        return 2;
    }

    private static async Task<int> EvalAsync(Dictionary<string, string> options, TextWriter output, TextWriter errors)
    {
        if (!options.TryGetValue("corpus", out var corpus) || !options.TryGetValue("questions", out var questionsPath))
        {
            return await UsageAsync(errors);
        }

        using var knowledge = Build(corpus, options, errors);
        IReadOnlyList<EvaluationQuestion> questions;
        using (var reader = File.OpenText(questionsPath))
        {
            questions = KnowledgeEvaluation.ReadQuestions(reader);
        }

        var results = new List<(EvaluationQuestion, IReadOnlyList<string>)>();
        foreach (var question in questions)
        {
            var outcome = knowledge.Search(question.Question);
            await output.WriteLineAsync(KnowledgeEvaluation.ResultLine(question.Id, outcome));
            results.Add((question, outcome.Offered.Select(a => a.Path).ToList()));
            if (options.ContainsKey("explain"))
            {
                var top = outcome.Articles.IsEmpty ? "-" : outcome.Articles[0].Path;
                var hit = question.Relevant is { Count: > 0 } rel ? (outcome.Articles.Take(3).Any(a => rel.Contains(a.Path)) ? "hit" : "MISS") : "na";
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{question.Id}\t{hit}\tconf={outcome.Confidence:0.00}\t{(outcome.Answerable ? "answer" : "REFUSE")}\t{top}\t{string.Join(' ', outcome.Concepts.Select(c => $"{c.Key}{(c.InCorpus ? "" : "?")}:{c.Idf:0.0}"))}"));
            }
        }

        if (KnowledgeEvaluation.Score(results) is { } metrics)
        {
            await errors.WriteLineAsync(metrics.ToString());
        }

        return 0;
    }

    private static async Task<int> SearchAsync(string text, Dictionary<string, string> options, TextWriter output, TextWriter errors)
    {
        var corpus = options.TryGetValue("corpus", out var c) ? c : "kb";
        using var knowledge = Build(corpus, options, errors);
        var top = options.TryGetValue("top", out var t) && int.TryParse(t, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 50) : 5;
        var outcome = knowledge.Search(text, top, detailed: top);
        if (!outcome.Answerable)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"No good answer (confidence {outcome.Confidence:0.00}, answers need {knowledge.MinimumConfidence:0.00}). Nearest articles:"));
        }

        var rank = 0;
        foreach (var article in outcome.Articles)
        {
            rank++;
            var anchor = article.Section.Anchor.Length > 0 ? "#" + article.Section.Anchor : string.Empty;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{rank,2}. {article.Title}  ({article.Path}{anchor})"));
            if (article.Section.Heading != article.Title)
            {
                await output.WriteLineAsync($"    § {article.Section.Heading}");
            }

            var snippet = Snippets.Make(knowledge.Analyzer, article.Section.Body, outcome.Concepts);
            await output.WriteLineAsync("    " + Snippets.ToTerminal(snippet));
        }

        return 0;
    }

    private static KnowledgeEngine Build(string corpus, Dictionary<string, string> options, TextWriter errors)
    {
        if (!Directory.Exists(corpus))
        {
            throw new IOException($"The corpus folder '{corpus}' does not exist.");
        }

        var started = Stopwatch.GetTimestamp();
        var synonymsPath = options.TryGetValue("synonyms", out var s) ? s : KnowledgeOptions.DefaultSynonymsFile;
        var knowledge = KnowledgeEngine.InMemory([corpus], KnowledgeSources.DefaultExclude, synonymsPath);
        errors.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kb: indexed {knowledge.ArticleCount} articles from {corpus} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms ({knowledge.SynonymCount} synonym phrases)"));
        return knowledge;
    }

    private static (List<string> Positional, Dictionary<string, string> Options) Parse(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = args[i][2..];
                var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
                options[name] = value;
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return (positional, options);
    }
}
