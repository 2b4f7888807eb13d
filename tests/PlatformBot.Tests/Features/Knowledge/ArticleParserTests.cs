using PlatformBot.Features.Knowledge;

namespace PlatformBot.Tests.Features.Knowledge;

public sealed class ArticleParserTests
{
    [Fact]
    public void FrontMatter_GivesTitleTagsOwnersAndUpdated()
    {
        var article = ArticleParser.Parse("deploys/rollback.md", """
            ---
            title: Roll back a deploy
            tags: [deploy, rollback]
            owners:
              - dana
              - omar
            updated: 2026-10-20
            ---

            # A different heading

            Text.
            """);

        Assert.Equal("Roll back a deploy", article.Title);
        Assert.Equal(["deploy", "rollback"], article.Tags);
        Assert.Equal(["dana", "omar"], article.Owners);
        Assert.Equal(new DateOnly(2026, 10, 20), article.Updated);
    }

    [Fact]
    public void EmptyFrontMatter_IsNoFrontMatter_NotAnError()
    {
        // Jekyll's usual header for a page without metadata; it used to throw, which stopped the bot from starting.
        var article = ArticleParser.Parse("deploys/canary.md", "---\n---\n# Canary deploys\n\nShift 5 % of traffic first.\n");

        Assert.Equal("Canary deploys", article.Title);
        Assert.Contains("Shift 5 % of traffic first.", article.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlComments_AreNotIndexed_AsThePublishedPageHidesThem()
    {
        var article = ArticleParser.Parse("ops/break-glass.md", """
            # Break-glass access

            <!--
            TODO internal: the admin password is hunter2
            # Not a heading either
            -->
            Ask the on-call for a break-glass session.
            """);

        Assert.DoesNotContain("hunter2", article.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(article.Sections, s => s.Heading.Contains("Not a heading", StringComparison.Ordinal));
        Assert.Contains("Ask the on-call for a break-glass session.", article.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Title_ComesFromTheFirstH1OutsideFencedCode()
    {
        var article = ArticleParser.Parse("user-guide/projects.md", """
            ```yaml
            # not a heading
            kind: AppProject
            ```

            # Projects

            Projects group applications.
            """);

        Assert.Equal("Projects", article.Title);
        Assert.DoesNotContain(article.Sections, s => s.Heading == "not a heading");
    }

    [Fact]
    public void NoHeadingAndNoFrontMatter_TitleComesFromTheFileName()
    {
        var article = ArticleParser.Parse("operator-manual/notifications/triggers.md", "Triggers define when to send.");

        Assert.Equal("Triggers", article.Title);
        Assert.Single(article.Sections);
    }

    [Fact]
    public void Headings_SplitSections_WithAnchorsAndTheTrailOfParentHeadings()
    {
        var article = ArticleParser.Parse("faq.md", """
            # FAQ

            Intro.

            ## I forgot the admin password, how do I reset it?

            Use `argocd admin initial-password`.

            ### On Kubernetes 1.30

            Details.

            ## Custom anchor {#sealed-secret-stuck}

            More.
            """);

        Assert.Equal(["faq", "i-forgot-the-admin-password-how-do-i-reset-it", "on-kubernetes-130", "sealed-secret-stuck"], article.Sections.Select(s => s.Anchor));
        Assert.Equal("FAQ / I forgot the admin password, how do I reset it? / On Kubernetes 1.30", article.Sections[2].Trail);
        Assert.Equal("Custom anchor", article.Sections[3].Heading);
        Assert.Contains("argocd admin initial-password", article.Sections[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenFrontMatter_StillYieldsTheArticle()
    {
        var article = ArticleParser.Parse("x.md", "---\ntitle: [unclosed\n---\n# Real title\n\nBody.");

        Assert.Equal("Real title", article.Title);
        Assert.Contains(article.Sections, s => s.Text.Contains("Body", StringComparison.Ordinal));
    }

    [Fact]
    public void LinksAndImages_KeepTheirLabelsOnly()
    {
        var text = ArticleParser.CleanText("See [the diffing guide](user-guide/diffing.md) ![diagram](a.png) and <b>bold</b>.");

        Assert.Equal("See the diffing guide and bold .", text);
    }
}
