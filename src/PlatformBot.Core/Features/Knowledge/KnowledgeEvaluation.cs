using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PlatformBot.Features.Knowledge;

/// <summary>One question of an evaluation set (JSON Lines: <c>id</c>, <c>question</c>, optionally <c>relevant</c>).</summary>
internal sealed record EvaluationQuestion(string Id, string Question, IReadOnlyList<string>? Relevant);

/// <summary>The retrieval metrics of an evaluation set with labels, as ../shared/kb-eval/README.md defines them.</summary>
internal sealed record EvaluationMetrics(int Answerable, double RecallAt1, double RecallAt3, double RecallAt5, double MrrAt10, int Unanswerable, int RefusedUnanswerable, int RefusedAnswerable)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Recall@1 {RecallAt1:0.000}  Recall@3 {RecallAt3:0.000}  Recall@5 {RecallAt5:0.000}  MRR@10 {MrrAt10:0.000}  refused unanswerable {RefusedUnanswerable}/{Unanswerable}  refused answerable {RefusedAnswerable}/{Answerable}");
}

internal static class KnowledgeEvaluation
{
    public static IReadOnlyList<EvaluationQuestion> ReadQuestions(TextReader reader)
    {
        var questions = new List<EvaluationQuestion>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new FormatException($"Line {number} is not JSON: {ex.Message}", ex);
            }

            var id = node?["id"]?.GetValue<string>() ?? throw new FormatException($"Line {number} has no \"id\".");
            var question = node["question"]?.GetValue<string>() ?? throw new FormatException($"Line {number} has no \"question\".");
            var relevant = node["relevant"] is JsonArray array ? array.Select(r => r!.GetValue<string>()).ToList() : null;
            questions.Add(new EvaluationQuestion(id, question, relevant));
        }

        return questions;
    }

    /// <summary>The output line for one question: its id, the ranked pages (empty for a refusal) and the coverage as score.</summary>
    public static string ResultLine(string id, SearchOutcome outcome)
    {
        var ranked = new JsonArray([.. outcome.Offered.Select(a => (JsonNode)JsonValue.Create(a.Path)!)]);
        var line = new JsonObject
        {
            ["id"] = id,
            ["ranked"] = ranked,
            ["score"] = Math.Round(outcome.Confidence, 3),
        };
        return line.ToJsonString();
    }

    public static EvaluationMetrics? Score(IReadOnlyList<(EvaluationQuestion Question, IReadOnlyList<string> Ranked)> results)
    {
        var labelled = results.Where(r => r.Question.Relevant is not null).ToList();
        if (labelled.Count == 0)
        {
            return null;
        }

        var answerable = labelled.Where(r => r.Question.Relevant!.Count > 0).ToList();
        var unanswerable = labelled.Where(r => r.Question.Relevant!.Count == 0).ToList();
        int FirstRelevant((EvaluationQuestion Question, IReadOnlyList<string> Ranked) r)
        {
            for (var i = 0; i < Math.Min(10, r.Ranked.Count); i++)
            {
                if (r.Question.Relevant!.Contains(r.Ranked[i]))
                {
                    return i + 1;
                }
            }

            return 0;
        }

        var ranks = answerable.Select(FirstRelevant).ToList();
        double Recall(int k) => answerable.Count == 0 ? 0 : ranks.Count(r => r > 0 && r <= k) / (double)answerable.Count;
        var mrr = answerable.Count == 0 ? 0 : ranks.Sum(r => r > 0 ? 1.0 / r : 0) / answerable.Count;
        return new EvaluationMetrics(
            answerable.Count,
            Recall(1),
            Recall(3),
            Recall(5),
            mrr,
            unanswerable.Count,
            unanswerable.Count(r => r.Ranked.Count == 0),
            answerable.Count(r => r.Ranked.Count == 0));
    }
}
