using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Features.Knowledge;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Knowledge;

/// <summary>Embeddings through a hand-written <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: cached by content, fused with BM25.</summary>
public sealed class SectionEmbeddingTests
{
    [Fact]
    public async Task UnchangedSections_AreNeverEmbeddedTwice_EvenAcrossARestart()
    {
        var (data, folder) = (TempFolder.Create(), Corpus());
        var first = new WordVectors();
        await using (var bot = await StartAsync(data, folder, first))
        {
            await bot.Services.GetRequiredService<SectionEmbeddings>().RefreshAsync(bot.Services.GetRequiredService<KnowledgeBase>(), TestContext.Current.CancellationToken);
        }

        var second = new WordVectors();
        await using var again = await StartAsync(data, folder, second);
        var embedded = await again.Services.GetRequiredService<SectionEmbeddings>().RefreshAsync(again.Services.GetRequiredService<KnowledgeBase>(), TestContext.Current.CancellationToken);

        Assert.Equal(3, first.Texts);
        Assert.Equal(0, embedded);
        Assert.Equal(0, second.Texts);
    }

    [Fact]
    public async Task VectorRanking_BringsInAnArticleThatSharesNoWordWithTheQuestion()
    {
        await using var bot = await StartAsync(TempFolder.Create(), Corpus(), new WordVectors());
        var knowledge = bot.Services.GetRequiredService<KnowledgeBase>();
        var embeddings = bot.Services.GetRequiredService<SectionEmbeddings>();
        await embeddings.RefreshAsync(knowledge, TestContext.Current.CancellationToken);

        var ranks = await embeddings.RankAsync("onboarding equine", TestContext.Current.CancellationToken);
        var withVectors = knowledge.Search("onboarding equine", 10, ranks);
        var without = knowledge.Search("onboarding equine", 10);

        Assert.Equal(1, ranks!["zebra.md"]);
        Assert.Contains(withVectors.Articles, a => a.Path == "zebra.md");
        Assert.DoesNotContain(without.Articles, a => a.Path == "zebra.md");
    }

    private static string Corpus()
    {
        var folder = TempFolder.Create();
        File.WriteAllText(Path.Combine(folder, "laptop.md"), "# Laptop setup\n\nInstall the tools during onboarding.");
        File.WriteAllText(Path.Combine(folder, "zebra.md"), "# Zebra\n\nThe striped runbook.");
        File.WriteAllText(Path.Combine(folder, "vpn.md"), "# VPN\n\nImport the WireGuard profile.");
        return folder;
    }

    private static Task<TestBot> StartAsync(string data, string folder, WordVectors vectors) =>
        TestBot.StartAsync(data, settings: new Dictionary<string, string?> { ["Knowledge:Folders:0"] = folder, ["Knowledge:Watch"] = "false" },
            services: s => s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(vectors));

    /// <summary>A tiny embedding model: one dimension per word, with "equine", "zebra" and "striped" sharing one.</summary>
    private sealed class WordVectors : IEmbeddingGenerator<string, Embedding<float>>
    {
        private const int Dimensions = 64;

        public int Texts { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var text in values)
            {
                Texts++;
                var vector = new float[Dimensions];
                foreach (var word in text.ToLowerInvariant().Split([' ', '\n', '.', ','], StringSplitOptions.RemoveEmptyEntries))
                {
                    vector[word is "equine" or "zebra" or "striped" ? 0 : 1 + ((word.Aggregate(7, (h, c) => (h * 31) + c) & 0x7fffffff) % (Dimensions - 1))] += 1;
                }

                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
