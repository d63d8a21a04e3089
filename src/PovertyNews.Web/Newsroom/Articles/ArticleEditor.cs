using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>
/// Writes articles from the editor form: applies the input, renders the Markdown once, keeps the tags, and records a
/// revision (plus an audit entry for deliberate saves) in the same unit of work. Saves are optimistic: the form
/// carries the <see cref="Article.Version"/> it started from, and a save on top of someone else's is refused as a
/// conflict rather than overwriting it. Every save answers a <see cref="Result{T}"/> of <see cref="ArticleSaved"/>:
/// done (with the flash), unchanged (an autosave with nothing new), refused with messages per field, or a conflict.
/// </summary>
public sealed class ArticleEditor(
    NewsDbContext db,
    MarkdownRenderer markdown,
    ArticleScreening screening,
    AuditLog audit,
    TimeProvider time,
    ArticleAccess access,
    ILogger<ArticleEditor> logger)
{
    /// <summary>Roles that write articles (for [Authorize(Roles = …)]); administrators alone do not.</summary>
    public const string WriterRoles = NewsRoles.Writers;

    /// <summary>
    /// Largest form value accepted by the editor's pages: a body of <see cref="MarkdownRenderer.MaxLength"/> Chinese
    /// characters is 9 MB once URL-encoded, above the framework's default of 4 MB.
    /// </summary>
    public const int FormValueLimit = 12 * 1024 * 1024;

    public const string CreatedNote = "新建";
    public const string AutosaveNote = "自动保存";
    public const string KeepMineNote = "冲突后保留我的版本";
    public const string ConflictMessage = "他人已保存了这篇稿件的新版本。";

    public static string RestoreNote(int number) => $"恢复自第 {number} 版";

    /// <summary>
    /// Autosaves by one person within this window of their last autosave replace it rather than add a revision: the
    /// newest text is always kept, the seconds-apart states between are not (ten autosaves were ten full copies).
    /// </summary>
    public static readonly TimeSpan AutosaveWindow = TimeSpan.FromMinutes(10);

    /// <summary>Whether this person may open the article's editor, by the access policy: not found when they may not even see it.</summary>
    public async Task<EditAccess> AccessAsync(Article? article, Actor actor)
    {
        if (article is null || !await access.MayAsync(actor, article, ArticleOperations.View))
        {
            return EditAccess.NotFound;
        }
        return await access.MayAsync(actor, article, ArticleOperations.Edit) ? EditAccess.Allowed : EditAccess.Forbidden;
    }

    /// <summary>A refusal when the input puts the article into a channel outside the person's desk (new, or moved).</summary>
    private async Task<Result<ArticleSaved>?> DeskRefusalAsync(ArticleInput input, Actor actor, int? currentChannel)
    {
        if (input.ChannelId is not { } channelId || channelId == currentChannel
            || await access.RefusalToWriteInAsync(actor, channelId) is not { } reason)
        {
            return null;
        }
        return Result.Refused([new InputError(nameof(ArticleInput.ChannelId), reason)], StatusCodes.Status403Forbidden).As<ArticleSaved>();
    }

    /// <summary>The article with its tags, tracked, ready for <see cref="SaveAsync"/>.</summary>
    public Task<Article?> FindAsync(int id, CancellationToken ct) =>
        db.Articles.Include(a => a.Tags).SingleOrDefaultAsync(a => a.Id == id, ct);

    public async Task<IReadOnlyList<InputError>> ValidateAsync(ArticleInput input, CancellationToken ct)
    {
        var errors = input.CheckRules().ToList();
        if (input.ChannelId is { } channelId && !await db.Channels.AnyAsync(c => c.Id == channelId, ct))
        {
            errors.Add(new(nameof(ArticleInput.ChannelId), "所选栏目不存在，请重新选择。"));
        }
        if (input.Kind == ArticleKind.Video && MediaName.TryParseVideoUrl(ArticleInput.Clean(input.VideoUrl), out var video))
        {
            var stored = video.Value.FileName;
            var item = await db.MediaItems.AsNoTracking().Where(m => m.StoredName == stored && m.Kind == MediaKind.Video)
                .Select(m => new { PosterName = db.MediaItems.Where(p => p.Id == m.PosterId).Select(p => p.StoredName).FirstOrDefault() })
                .SingleOrDefaultAsync(ct);
            if (item is null)
            {
                errors.Add(new(nameof(ArticleInput.VideoUrl), "媒体库中没有这个视频（可能已被删除），请重新选择。"));
            }
            else if (ArticleInput.Clean(input.VideoPosterUrl) is null && item.PosterName is { } poster)
            {
                // The poster defaults to the one the library keeps with the video.
                input.VideoPosterUrl = MediaName.UrlOf(poster);
            }
        }
        return errors;
    }

    public async Task<Result<ArticleSaved>> CreateAsync(ArticleInput input, Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var errors = await ValidateAsync(input, ct);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (await DeskRefusalAsync(input, actor, null) is { } refused)
        {
            return refused;
        }
        var replaced = await screening.ReplaceAsync(input, ct);
        if (Render(input, out var body, out var html, out var summary) is { } rejected)
        {
            return Invalid([rejected]);
        }
        var article = new Article
        {
            Slug = await NewSlugAsync(now, ct),
            Title = "",
            OwnerId = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await ApplyAsync(article, input, body, html, summary, ct);
        article.RecordCreation(actor, now);
        db.Articles.Add(article);

        // The revision and the audit entry name the new id, so they follow in a second step of the same transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        db.ArticleRevisions.Add(ArticleRevision.Of(article, 1, actor, now, CreatedNote));
        audit.Add(AuditActions.ArticleCreated, Target(article.Id), article.Title);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Article {ArticleId} created by {UserId} as {Slug}", article.Id, actor.UserId, article.Slug);
        LogReplaced(article.Id, replaced);
        return Result<ArticleSaved>.Done(new(article.Id, article.Version, now, 1, replaced), SensitiveWordReport.WithReplaced("已保存", replaced));
    }

    /// <summary>Saves the input on top of <paramref name="article"/> (loaded with <see cref="FindAsync"/>).</summary>
    public Task<Result<ArticleSaved>> SaveAsync(Article article, ArticleInput input, Actor actor, SaveKind kind, CancellationToken ct) => kind switch
    {
        SaveKind.Manual => SaveCoreAsync(article, input, actor, kind, null, AuditActions.ArticleSaved, null, ct),
        SaveKind.Autosave => SaveCoreAsync(article, input, actor, kind, AutosaveNote, null, null, ct),
        SaveKind.KeepMine => SaveCoreAsync(article, input, actor, kind, KeepMineNote, AuditActions.ArticleSaved, KeepMineNote, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "use RestoreAsync"),
    };

    /// <summary>Makes the content of an earlier revision current again, as a new revision; nothing in between is lost.</summary>
    public async Task<Result<ArticleSaved>> RestoreAsync(Article article, ArticleRevision revision, Actor actor, CancellationToken ct)
    {
        var input = ArticleInput.From(revision, article);
        input.CorrectionNote = null; // a 更正说明 belongs to the change it came with, not to the text restored
        if (!await db.Channels.AnyAsync(c => c.Id == revision.ChannelId, ct))
        {
            input.ChannelId = article.ChannelId; // the revision's channel has been removed since
        }
        var note = RestoreNote(revision.Number);
        var result = await SaveCoreAsync(article, input, actor, SaveKind.Restore, note, AuditActions.ArticleRestored, note, ct);
        return result is { Kind: ResultKind.Done, Value: { } saved }
            ? Result<ArticleSaved>.Done(saved, $"已恢复第 {revision.Number} 版的内容，保存为第 {saved.Revision} 版")
            : result;
    }

    private async Task<Result<ArticleSaved>> SaveCoreAsync(Article article, ArticleInput input, Actor actor, SaveKind kind,
        string? note, string? auditAction, string? auditDetails, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (input.Version != article.Version)
        {
            return Conflict(article, now);
        }
        var errors = await ValidateAsync(input, ct);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (await DeskRefusalAsync(input, actor, article.ChannelId) is { } refused)
        {
            return refused;
        }
        var replaced = await screening.ReplaceAsync(input, ct);
        if (Render(input, out var body, out var html, out var summary) is { } rejected)
        {
            return Invalid([rejected]);
        }

        var last = await db.ArticleRevisions.Where(r => r.ArticleId == article.Id)
            .OrderByDescending(r => r.Number).FirstOrDefaultAsync(ct);
        if (article.KeepsReviewedText)
        {
            return await StageAsync(article, input, body, summary, last, actor, kind, note, auditAction, auditDetails, replaced, now, ct);
        }
        await ApplyAsync(article, input, body, html, summary, ct);
        var revision = ArticleRevision.Of(article, (last?.Number ?? 0) + 1, actor, now, note);
        var writeRevision = kind != SaveKind.Autosave || last is null || !SameContent(last, revision);
        if (!writeRevision && !db.ChangeTracker.HasChanges())
        {
            return Result<ArticleSaved>.Unchanged(new(article.Id, article.Version, now, last?.Number, replaced));
        }

        article.UpdatedAt = now;
        // The levels an article in review has passed were for the text before this edit.
        var restarted = (last is null || !SameContent(last, revision)) && article.RestartReview(actor, now);
        var coalesced = writeRevision && kind == SaveKind.Autosave && last is { Note: AutosaveNote } previous
            && previous.UserId == actor.UserId && now - previous.At < AutosaveWindow;
        if (coalesced)
        {
            (revision.Id, revision.Number) = (last!.Id, last.Number);
            db.Entry(last).CurrentValues.SetValues(revision);
        }
        else if (writeRevision)
        {
            db.ArticleRevisions.Add(revision);
        }
        if (auditAction is not null)
        {
            audit.Add(auditAction, Target(article.Id), auditDetails);
        }
        if (await TrySaveAsync(article, input.Version, actor, ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Article {ArticleId} saved by {UserId} ({SaveKind}), revision {Revision}",
            article.Id, actor.UserId, kind, writeRevision ? revision.Number : last?.Number);
        LogReplaced(article.Id, replaced);
        var number = writeRevision ? revision.Number : last?.Number;
        var saved = restarted ? "已保存。稿件内容有改动，审核从初审重新开始" : "已保存";
        return Result<ArticleSaved>.Done(new(article.Id, article.Version, now, number, replaced), kind switch
        {
            SaveKind.Manual => SensitiveWordReport.WithReplaced(saved, replaced),
            SaveKind.KeepMine => SensitiveWordReport.WithReplaced(saved + "（保留了您的版本，对方的版本留在历史版本中）", replaced),
            _ => null,
        });
    }

    /// <summary>
    /// A forward revision: the article keeps its reviewed text, which readers go on seeing; the edit is written as a
    /// revision and becomes the article's pending version, which needs its own review before it is applied.
    /// </summary>
    private async Task<Result<ArticleSaved>> StageAsync(Article article, ArticleInput input, string body, string summary,
        ArticleRevision? last, Actor actor, SaveKind kind, string? note, string? auditAction, string? auditDetails,
        IReadOnlyList<ReplacedWord> replaced, DateTime now, CancellationToken ct)
    {
        var revision = RevisionOf(article, input, body, summary, (last?.Number ?? 0) + 1, actor, now, note);
        var pending = article.PendingRevision is { } n && last?.Number == n ? last : null;
        if (pending is not null ? SameContent(pending, revision) && pending.CorrectionNote == revision.CorrectionNote
            : article.PendingRevision is null && SameContent(RevisionOf(article), revision) && revision.CorrectionNote == article.CorrectionNote)
        {
            // Nothing new to review: the same text as the pending version, or as the live one when there is none.
            return Result<ArticleSaved>.Unchanged(new(article.Id, article.Version, now, last?.Number, replaced),
                pending is null ? "内容与读者看到的版本相同，没有需要审核的修改。" : "内容与待审的修改相同，未保存新版本。");
        }
        db.ArticleRevisions.Add(revision);
        article.StageChange(actor, revision.Number, now);
        audit.Add(auditAction ?? AuditActions.ArticleSaved, Target(article.Id),
            $"待审修改第 {revision.Number} 版" + (auditDetails is null ? "" : $"（{auditDetails}）"));
        if (await TrySaveAsync(article, input.Version, actor, ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Article {ArticleId} edited by {UserId} ({SaveKind}) as pending revision {Revision}; readers keep the reviewed text",
            article.Id, actor.UserId, kind, revision.Number);
        LogReplaced(article.Id, replaced);
        return Result<ArticleSaved>.Done(new(article.Id, article.Version, now, revision.Number, replaced),
            SensitiveWordReport.WithReplaced($"已保存为待审修改（第 {revision.Number} 版）。读者仍看到审核通过的版本，修改送审并通过后才会替换", replaced));
    }

    /// <summary>Saves with the version the editor started from; a conflict result when someone saved meanwhile.</summary>
    private async Task<Result<ArticleSaved>?> TrySaveAsync(Article article, Guid version, Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The version the editor started from is the one the UPDATE must still find; otherwise someone saved meanwhile.
        db.Entry(article).Property(a => a.Version).OriginalValue = version;
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Save of article {ArticleId} by {UserId} conflicted with another save", article.Id, actor.UserId);
            return Conflict(article, now);
        }
        catch (DbUpdateException ex)
        {
            if (!await VersionMovedAsync(article.Id, version))
            {
                throw;
            }
            // Two saves raced for the same revision number: the other one won.
            logger.LogInformation(ex, "Save of article {ArticleId} by {UserId} lost a race with another save", article.Id, actor.UserId);
            return Conflict(article, now);
        }
    }

    /// <summary>
    /// The word gate on a transition that makes text visible: replace-words in every reader-visible field are replaced
    /// (the article's fields change, the body is rendered again), 禁止-words refuse. With <paramref name="input"/> the
    /// text comes from there (a pending version) and is copied onto the article when it passes; otherwise the
    /// article's own text is checked. Nothing is saved here.
    /// </summary>
    public async Task<ReaderTextVerdict> GateAsync(Article article, ArticleInput? input, CancellationToken ct)
    {
        var copy = input is not null;
        input ??= InputFor(article);
        if (copy && (input.ChannelId is not { } channelId || !await db.Channels.AnyAsync(c => c.Id == channelId, ct)))
        {
            input.ChannelId = article.ChannelId; // the pending version's channel has been removed since
        }
        var replaced = await screening.ReplaceAsync(input, ct);
        var report = await screening.ScreenAsync(input, ct);
        if (report.IsBlocked)
        {
            return new ReaderTextVerdict(report, replaced, null);
        }
        if (copy || replaced.Count > 0)
        {
            if (Render(input, out var body, out var html, out var summary) is { } rejected)
            {
                return new ReaderTextVerdict(report, replaced, rejected.Message);
            }
            await ApplyAsync(article, input, body, html, summary, ct);
            LogReplaced(article.Id, replaced);
        }
        return new ReaderTextVerdict(report, replaced, null);
    }

    /// <summary>
    /// 更正 from the review page: the text as it stands — the pending version, or the reviewed one — with the note, as
    /// a new pending version (not saved here; the workflow step saves it with its record).
    /// </summary>
    public async Task StageCorrectionAsync(Article article, string note, Actor actor, DateTime now, CancellationToken ct)
    {
        var input = await PendingInputAsync(article, ct) ?? InputFor(article);
        input.CorrectionNote = note;
        if (Render(input, out var body, out _, out var summary) is { } rejected)
        {
            throw new WorkflowException(rejected.Message);
        }
        var last = await db.ArticleRevisions.Where(r => r.ArticleId == article.Id).MaxAsync(r => (int?)r.Number, ct) ?? 0;
        var revision = RevisionOf(article, input, body, summary, last + 1, actor, now, "更正");
        db.ArticleRevisions.Add(revision);
        article.StageChange(actor, revision.Number, now);
    }

    /// <summary>The pending version as the editor form and the review page show it, or null when there is none.</summary>
    public async Task<ArticleInput?> PendingInputAsync(Article article, CancellationToken ct)
    {
        if (article.PendingRevision is not { } number)
        {
            return null;
        }
        var revision = await db.ArticleRevisions.AsNoTracking()
            .SingleOrDefaultAsync(r => r.ArticleId == article.Id && r.Number == number, ct);
        if (revision is null)
        {
            return null;
        }
        var input = ArticleInput.From(revision, article);
        if (input.Summary == Excerpt(input.Body ?? ""))
        {
            input.Summary = null; // automatic, as the form shows the live text's
        }
        if (input.CorrectionNote == article.CorrectionNote)
        {
            input.CorrectionNote = null; // the 更正 readers already see; the field is for a new one
        }
        return input;
    }

    /// <summary>Who wrote the pending version: every revision since the last one applied or discarded.</summary>
    public async Task<IReadOnlyList<string>> PendingAuthorsAsync(Article article, CancellationToken ct)
    {
        if (article.PendingSince is not { } since)
        {
            return [];
        }
        return await db.ArticleRevisions.AsNoTracking()
            .Where(r => r.ArticleId == article.Id && r.Number >= since && r.UserId != null)
            .Select(r => r.UserId!).Distinct().ToListAsync(ct);
    }

    /// <summary>The form's content as a revision, without touching the article (its text stays the reviewed one).</summary>
    private static ArticleRevision RevisionOf(Article article, ArticleInput input, string body, string summary, int number,
        Actor actor, DateTime now, string? note) => new()
    {
        ArticleId = article.Id,
        Number = number,
        Title = ArticleInput.Clean(input.Title) ?? "",
        Subtitle = ArticleInput.Clean(input.Subtitle),
        Summary = summary,
        BodyMarkdown = body,
        ChannelId = input.ChannelId ?? 0,
        Tags = ArticleInput.JoinTags(input.TagList()),
        Source = ArticleInput.Clean(input.Source),
        ReprintedFrom = ArticleInput.Clean(input.ReprintedFrom),
        Author = ArticleInput.Clean(input.Author),
        ResponsibleEditor = ArticleInput.Clean(input.ResponsibleEditor),
        ContactHotline = ArticleInput.Clean(input.ContactHotline),
        ContactWeChat = ArticleInput.Clean(input.ContactWeChat),
        CoverImageUrl = ArticleInput.Clean(input.CoverImageUrl),
        CoverImageAlt = ArticleInput.Clean(input.CoverImageAlt),
        Kind = input.Kind,
        VideoUrl = ArticleInput.Clean(input.VideoUrl),
        VideoPosterUrl = ArticleInput.Clean(input.VideoPosterUrl),
        // The 更正 readers will see with this version: a new note, or the one they see now.
        CorrectionNote = ArticleInput.Clean(input.CorrectionNote) ?? article.CorrectionNote,
        UserId = actor.UserId,
        UserName = actor.Name,
        At = now,
        Note = note,
    };

    /// <summary>The live text in revision form, to compare an edit with.</summary>
    private static ArticleRevision RevisionOf(Article article) => ArticleRevision.Of(article, 0, new Actor("", "", new HashSet<string>()), default);

    /// <summary>What the editor form offers: the channel tree and the existing tags.</summary>
    public async Task<EditorFormOptions> FormOptionsAsync(CancellationToken ct)
    {
        var channels = await ChannelOptionsAsync(ct);
        var tags = await db.Tags.AsNoTracking()
            .OrderByDescending(t => t.Articles.Count).ThenBy(t => t.Name).Take(300)
            .Select(t => t.Name).ToListAsync(ct);
        return new EditorFormOptions(channels, tags);
    }

    /// <summary>Every channel in tree order, labelled with its path, as the editor's channel list (also 传播数据's filter).</summary>
    public async Task<IReadOnlyList<ChannelOption>> ChannelOptionsAsync(CancellationToken ct)
    {
        var channels = await db.Channels.AsNoTracking()
            .Select(c => new ChannelNode(c.Id, c.Name, c.ParentId, c.SortOrder, c.IsHidden)).ToListAsync(ct);
        return ChannelTree(channels);
    }

    /// <summary>The other side of a conflict: the article as it is saved now, and the differences to the editor's input.</summary>
    public async Task<ConflictView?> ConflictAsync(int articleId, ArticleInput mine, CancellationToken ct)
    {
        var theirs = await db.Articles.AsNoTracking().Include(a => a.Tags).SingleOrDefaultAsync(a => a.Id == articleId, ct);
        if (theirs is null)
        {
            return null;
        }
        var latest = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == articleId)
            .OrderByDescending(r => r.Number).Select(r => new { r.Number, r.UserName, r.At }).FirstOrDefaultAsync(ct);
        var options = await FormOptionsAsync(ct);
        var theirInput = InputFor(theirs);
        var diff = TextDiff.SideBySide(
            ArticleText.Of(theirInput, options.ChannelLabel, withKind: true),
            ArticleText.Of(mine, options.ChannelLabel, withKind: true));
        return new ConflictView(theirInput, theirs.Version, latest?.Number, latest?.UserName, latest?.At ?? theirs.UpdatedAt, diff);
    }

    public static string NormalizeBody(string? body) => (body ?? "").ReplaceLineEndings("\n");

    public static string Target(int articleId) => $"article:{articleId}";

    /// <summary>Renders the body once, for this save. An empty 摘要 becomes the start of the body's text, as the importer does.</summary>
    private InputError? Render(ArticleInput input, out string body, out string html, out string summary)
    {
        body = NormalizeBody(input.Body);
        html = "";
        summary = "";
        try
        {
            html = markdown.Render(body);
            summary = ArticleInput.Clean(input.Summary) ?? Excerpt(body) ?? "";
            return null;
        }
        catch (MarkdownRejectedException ex)
        {
            return new(nameof(ArticleInput.Body), ex.Message);
        }
    }

    /// <summary>
    /// True when the stored summary is the automatic one (the start of the body). The form then shows the field empty,
    /// so the summary keeps following the body until someone writes one.
    /// </summary>
    public bool HasAutomaticSummary(Article article) => IsAutomaticSummary(markdown, article);

    public static bool IsAutomaticSummary(MarkdownRenderer markdown, Article article) =>
        article.Summary.Length == 0 || article.Summary == Excerpt(markdown, article.BodyMarkdown);

    /// <summary>The article as the editor form shows it.</summary>
    public ArticleInput InputFor(Article article)
    {
        var input = ArticleInput.From(article);
        if (HasAutomaticSummary(article))
        {
            input.Summary = null;
        }
        return input;
    }

    private string? Excerpt(string body) => Excerpt(markdown, body);

    private static string? Excerpt(MarkdownRenderer markdown, string body)
    {
        try
        {
            var text = markdown.ToPlainText(body);
            return text.Length <= ArticleInput.ExcerptLength ? text : text[..ArticleInput.ExcerptLength] + "…";
        }
        catch (MarkdownRejectedException)
        {
            return null;
        }
    }

    private async Task ApplyAsync(Article article, ArticleInput input, string body, string html, string summary, CancellationToken ct)
    {
        article.Title = ArticleInput.Clean(input.Title) ?? "";
        article.Subtitle = ArticleInput.Clean(input.Subtitle);
        article.Summary = summary;
        article.ChannelId = input.ChannelId ?? article.ChannelId;
        article.Source = ArticleInput.Clean(input.Source);
        article.ReprintedFrom = ArticleInput.Clean(input.ReprintedFrom);
        article.Author = ArticleInput.Clean(input.Author);
        article.ResponsibleEditor = ArticleInput.Clean(input.ResponsibleEditor);
        article.ContactHotline = ArticleInput.Clean(input.ContactHotline);
        article.ContactWeChat = ArticleInput.Clean(input.ContactWeChat);
        article.CoverImageUrl = ArticleInput.Clean(input.CoverImageUrl);
        article.CoverImageAlt = ArticleInput.Clean(input.CoverImageAlt);
        article.Kind = input.Kind;
        article.VideoUrl = ArticleInput.Clean(input.VideoUrl);
        article.VideoPosterUrl = ArticleInput.Clean(input.VideoPosterUrl);
        article.SetBody(body, html);
        await SyncTagsAsync(article, input.TagList().ToArray(), ct);
    }

    /// <summary>Removes and adds only what differs, so an unchanged tag list is no change at all; new tags are created.</summary>
    private async Task SyncTagsAsync(Article article, string[] wanted, CancellationToken ct)
    {
        foreach (var tag in article.Tags.Where(t => !wanted.Contains(t.Name, StringComparer.Ordinal)).ToList())
        {
            article.Tags.Remove(tag);
        }
        var missing = wanted.Where(name => !article.Tags.Any(t => t.Name == name)).ToArray();
        if (missing.Length == 0)
        {
            return;
        }
        // Tags added earlier in this unit of work (an import) are not in the database yet.
        var local = db.Tags.Local.Where(t => missing.Contains(t.Name)).ToDictionary(t => t.Name, StringComparer.Ordinal);
        missing = missing.Where(name => !local.ContainsKey(name)).ToArray();
        foreach (var tag in local.Values)
        {
            article.Tags.Add(tag);
        }
        var existing = await db.Tags.Where(t => missing.Contains(t.Name)).ToDictionaryAsync(t => t.Name, StringComparer.Ordinal, ct);
        foreach (var name in missing)
        {
            article.Tags.Add(existing.GetValueOrDefault(name) ?? db.Tags.Add(new Tag { Name = name }).Entity);
        }
    }

    /// <summary>"a-20260612-3f9c1a": the day in China Standard Time and six random hex digits; never changes afterwards.</summary>
    private async Task<string> NewSlugAsync(DateTime now, CancellationToken ct)
    {
        var day = ChinaTime.FromUtc(now).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            var slug = $"a-{day}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}";
            if (!await db.Articles.AnyAsync(a => a.Slug == slug, ct))
            {
                return slug;
            }
        }
    }

    private void LogReplaced(int articleId, IReadOnlyList<ReplacedWord> replaced)
    {
        if (replaced.Count > 0)
        {
            logger.LogInformation("Sensitive words replaced in article {ArticleId}: {Words}",
                articleId, replaced.Select(r => $"{r.Word}×{r.Count}"));
        }
    }

    private async Task<bool> VersionMovedAsync(int articleId, Guid version) =>
        await db.Articles.AsNoTracking().Where(a => a.Id == articleId).Select(a => a.Version).SingleOrDefaultAsync() != version;

    private static bool SameContent(ArticleRevision a, ArticleRevision b) =>
        a.Title == b.Title && a.Subtitle == b.Subtitle && a.Summary == b.Summary && a.BodyMarkdown == b.BodyMarkdown
        && a.ChannelId == b.ChannelId && a.Tags == b.Tags && a.Source == b.Source && a.ReprintedFrom == b.ReprintedFrom
        && a.Author == b.Author && a.ResponsibleEditor == b.ResponsibleEditor && a.ContactHotline == b.ContactHotline
        && a.ContactWeChat == b.ContactWeChat && a.CoverImageUrl == b.CoverImageUrl && a.CoverImageAlt == b.CoverImageAlt
        // Revisions from before the kind and the video were kept compare on the rest.
        && (a.Kind is null || b.Kind is null || (a.Kind == b.Kind && a.VideoUrl == b.VideoUrl && a.VideoPosterUrl == b.VideoPosterUrl));

    private static Result<ArticleSaved> Invalid(IReadOnlyList<InputError> errors) =>
        Result.Refused(errors).As<ArticleSaved>();

    private static Result<ArticleSaved> Conflict(Article article, DateTime now) =>
        Result<ArticleSaved>.Conflict(ConflictMessage, new(article.Id, article.Version, now, null, []));

    private sealed record ChannelNode(int Id, string Name, int? ParentId, int SortOrder, bool IsHidden);

    /// <summary>Depth first in the portal's order, each labelled with its path: "脱贫攻坚 › 产业扶贫".</summary>
    private static List<ChannelOption> ChannelTree(List<ChannelNode> channels)
    {
        var children = channels.ToLookup(c => c.ParentId is { } p && channels.Any(x => x.Id == p) ? p : (int?)null);
        var result = new List<ChannelOption>(channels.Count);
        void Walk(int? parent, string prefix, int depth)
        {
            if (depth > 10)
            {
                return; // a cycle in the data must not hang the page
            }
            foreach (var channel in children[parent].OrderBy(c => c.SortOrder).ThenBy(c => c.Id))
            {
                var label = prefix + channel.Name;
                result.Add(new ChannelOption(channel.Id, channel.IsHidden ? label + "（隐藏）" : label));
                Walk(channel.Id, label + " › ", depth + 1);
            }
        }
        Walk(null, "", 0);
        return result;
    }
}
