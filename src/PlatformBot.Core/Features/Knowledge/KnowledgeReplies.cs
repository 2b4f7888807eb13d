using System.Collections.Immutable;
using System.Text;
using PlatformBot.Ai;
using PlatformBot.Conversations;

namespace PlatformBot.Features.Knowledge;

/// <summary>The knowledge base's messages, channel-neutral. Questions and document text are user text: always escaped.</summary>
internal static class KnowledgeReplies
{
    private const int QuestionPreview = 200;

    /// <summary>The newest comments a draft quotes; a longer thread is in the ticket.</summary>
    private const int MaxDraftComments = 50;

    public static Reply Usage() =>
        Reply.Private(Md.Text($"Ask me anything about the platform: `/ask how do I roll back a deploy?`. I answer from the platform team's knowledge base."));

    public static Reply Answer(KnowledgeQuestion question, IReadOnlyList<(ShownArticle Article, Snippet Snippet)> articles, GroundedAnswer? grounded)
    {
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new TextBlock(Md.Text($"Here is what the knowledge base says about _{Preview(question.Text)}_:")));
        if (grounded is { Known: true })
        {
            blocks.Add(new TextBlock(Md.Text($"{grounded.Text}")));
        }

        var number = 0;
        foreach (var (article, snippet) in articles)
        {
            number++;
            var heading = article.Heading.Length > 0 && article.Heading != article.Title ? Md.Text($" › {article.Heading}") : RichText.Empty;
            var title = article.Url is { } url
                ? Md.Text($"*{Md.Raw(number.ToString(System.Globalization.CultureInfo.InvariantCulture))}.* {Md.Link(url, article.Title)}{heading}")
                : Md.Text($"*{Md.Raw(number.ToString(System.Globalization.CultureInfo.InvariantCulture))}. {article.Title}*{heading} `{Location(article)}`");
            blocks.Add(new SectionBlock(title.Append(Md.Text($"\n")).Append(Snippets.ToRichText(snippet)), []));
        }

        blocks.Add(new ActionsBlock(
        [
            new Button(KnowledgeRoutes.Solved, "This solved it", question.Id, ButtonStyle.Primary),
            new Button(KnowledgeRoutes.NotQuite, "Not quite — open a ticket", question.Id),
        ]));
        blocks.Add(new ContextBlock([Md.Text($"From the platform knowledge base. Your click tells the team whether the docs work.")]));
        return new Reply { Blocks = blocks.ToImmutable(), Summary = $"{articles.Count} article(s) for your question" };
    }

    public static Reply NoAnswer(KnowledgeQuestion question) => new()
    {
        Blocks =
        [
            new TextBlock(Md.Text($"I have no good answer to _{Preview(question.Text)}_ in the knowledge base. The platform team can help: open a ticket and it lands in their queue.")),
            new ActionsBlock([new Button(KnowledgeRoutes.NotQuite, "Open a ticket", question.Id, ButtonStyle.Primary)]),
        ],
        Summary = "No good answer in the knowledge base",
    };

    public static Reply SolvedCard(KnowledgeQuestion question)
    {
        var links = question.Articles.Select((a, i) => a.Url is { } url
            ? Md.Text($"{Md.Raw((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}. {Md.Link(url, a.Title)}")
            : Md.Text($"{Md.Raw((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}. {a.Title} `{Location(a)}`"));
        return new Reply
        {
            ReplacesSource = true,
            Blocks =
            [
                new TextBlock(Md.Text($"_{Preview(question.Text)}_")),
                new TextBlock(Md.Lines(links)),
                new ContextBlock([Md.Text($"✓ Solved by the knowledge base, said {question.AskerName}.")]),
            ],
        };
    }

    public static Reply Thanks() => Reply.Private(Md.Text($"Thanks, noted that it helped you too."));

    public static Reply AlreadyDecided(KnowledgeQuestion question) => Reply.Private(question.Outcome == QuestionOutcome.Solved
        ? Md.Text($"Already marked as solved.")
        : Md.Text($"This question already went to a ticket."));

    public static Reply Unknown() => Reply.Private(Md.Text($"I no longer know that question. Ask again, or type `/ticket` to open a ticket."));

    /// <summary>The Tickets feature's own form when it is registered, pre-filled; the same fields otherwise.</summary>
    public static Reply TicketForm(KnowledgeQuestion question, Tickets.ITickets? tickets)
    {
        if (tickets is null)
        {
            return TicketForm(question);
        }

        var (title, description) = TicketText(question);
        return Reply.OpenForm(tickets.NewTicketForm(new Tickets.TicketDraft(title, description, IdempotencyKey: "kb:" + question.Id)));
    }

    /// <summary>The ticket's title (the question) and description (the question and the articles tried).</summary>
    public static (string Title, string Description) TicketText(KnowledgeQuestion question)
    {
        var description = new StringBuilder();
        description.Append("Asked the knowledge base: ").Append(question.Text.Trim()).Append('\n');
        if (question.Articles.Count == 0)
        {
            description.Append("It had no good answer.");
        }
        else
        {
            description.Append("Articles tried that did not solve it:\n");
            foreach (var article in question.Articles)
            {
                description.Append("- ").Append(article.Title).Append(" (").Append(article.Url ?? Location(article)).Append(")\n");
            }
        }

        var title = question.Text.ReplaceLineEndings(" ").Trim();
        return (title.Length > 150 ? title[..149] + "…" : title, description.ToString().TrimEnd());
    }

    /// <summary>The Tickets feature's form, pre-filled: the question as title, and what the knowledge base already offered.</summary>
    public static Reply TicketForm(KnowledgeQuestion question)
    {
        var (title, description) = TicketText(question);
        var form = new Form(KnowledgeRoutes.TicketForm, "File a ticket",
        [
            new FormField(KnowledgeRoutes.TicketFields.Title, "Title") { Required = true, MaxLength = 150, Initial = title },
            new FormField(KnowledgeRoutes.TicketFields.Description, "Description", FormFieldKind.MultilineText) { MaxLength = 4000, Initial = description },
            new FormField(KnowledgeRoutes.TicketFields.Priority, "Priority", FormFieldKind.Select)
            {
                Required = true,
                Initial = "P3",
                Options = [new Option("P1: down for many, no workaround", "P1"), new Option("P2: badly impaired", "P2"), new Option("P3: normal", "P3"), new Option("P4: question or small request", "P4")],
            },
            new FormField(KnowledgeRoutes.TicketFields.Category, "Category") { MaxLength = 32, Placeholder = "network, ci, access…" },
            new FormField(KnowledgeRoutes.TicketFields.Service, "Affected service") { MaxLength = 64 },
        ])
        {
            SubmitLabel = "File ticket",
        };
        return Reply.OpenForm(form);
    }

    public static Reply DraftOffer(KnowledgeQuestion question, string ticketId) => new()
    {
        Blocks =
        [
            new TextBlock(Md.Text($"You resolved *{ticketId}*, which started as a question the knowledge base did not answer: _{Preview(question.Text)}_")),
            new SectionBlock(Md.Text($"*Resolution note*\n{question.ResolutionNote ?? "(none)"}"), []),
            new ActionsBlock([new Button(KnowledgeRoutes.Draft, "Save as knowledge-base draft", question.Id, ButtonStyle.Primary)]),
            new ContextBlock([Md.Text($"The draft goes under `drafts/` in the knowledge folder for review in git; nothing is searched until it moves out.")]),
        ],
        Summary = $"Turn {ticketId} into a knowledge-base article?",
    };

    /// <summary>The draft's body: the answer (the resolution note), the ticket's thread (people's comments, escaped), then
    /// what the knowledge base offered before.</summary>
    public static string DraftBody(KnowledgeQuestion question, string ticketId, IReadOnlyList<Tickets.TicketCommentInfo> thread)
    {
        var body = new StringBuilder();
        body.Append("## Answer\n\n").Append(string.IsNullOrWhiteSpace(question.ResolutionNote) ? "(write the answer here)" : question.ResolutionNote.Trim()).Append("\n\n");
        // People's comments; the resolution note is the resolver's last comment and is already the answer above.
        var comments = thread
            .Where(c => !c.BySystem && !string.IsNullOrWhiteSpace(c.Text))
            .Where(c => !(c.Author.Key == question.ResolvedByKey && c.Text.Trim() == question.ResolutionNote?.Trim()))
            .ToList();
        if (comments.Count > 0)
        {
            body.Append("## Ticket thread\n\n");
            if (comments.Count > MaxDraftComments)
            {
                body.Append("(the ").Append(comments.Count - MaxDraftComments).Append(" earliest comments are in ").Append(ticketId).Append(")\n\n");
            }

            foreach (var comment in comments.TakeLast(MaxDraftComments))
            {
                body.Append("**").Append(KnowledgeDraftWriter.Markdown(comment.Author.Name.ReplaceLineEndings(" "))).Append("**")
                    .Append(comment.ByAgent ? " (platform team)" : string.Empty).Append(", ")
                    .Append(comment.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)).Append(":\n\n")
                    .Append(KnowledgeDraftWriter.Quote(comment.Text)).Append("\n\n");
            }
        }

        body.Append("## Background\n\n");
        body.Append("Asked in chat on ").Append(question.AskedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .Append(" and resolved in ticket ").Append(ticketId).Append(".\n");
        if (question.Articles.Count > 0)
        {
            body.Append("These articles were offered and did not answer it:\n\n");
            foreach (var article in question.Articles)
            {
                body.Append("- ").Append(article.Title).Append(" (`").Append(Location(article)).Append("`)\n");
            }
        }

        return body.ToString().TrimEnd();
    }

    public static string Location(ShownArticle article) => article.Anchor.Length > 0 ? $"{article.Path}#{article.Anchor}" : article.Path;

    private static string Preview(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length > QuestionPreview ? flat[..QuestionPreview] + "…" : flat;
    }
}
