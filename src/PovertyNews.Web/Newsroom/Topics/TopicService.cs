using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Web.Newsroom.Topics;

/// <summary>
/// 专题: editors make a topic page — title, banner, introduction (Markdown through the articles' own renderer and
/// sanitiser), ordered sections fed by a tag, a channel or hand-picked reports, and a 大事记 — and publish it at
/// /topics/{slug}. Every change is audited under topic:{id}; the saves evict the topic pages, the front page's 专题
/// block, the sitemaps and the topic feeds (CacheEvictionInterceptor). Who may: <see cref="Access.AccessPolicies.TopicManagers"/>.
/// </summary>
/// <remarks>
/// A hand-picked report may be a draft or scheduled: the topic is prepared ahead, and readers see the report once it
/// is visible (the reader page asks <see cref="Article.VisibleAt"/>). Deleting a topic deletes its sections and
/// timeline, not the reports.
/// A topic reaches readers without 三审, so the sensitive-word list stands at every save of its text (title, 导语,
/// banner caption, section titles, 大事记): a blocked word refuses the save, replace-words are masked, flagged words are
/// named in the message; publishing checks the whole topic again, for words listed since its last save.
/// </remarks>
public sealed class TopicService(
    NewsDbContext db, MarkdownRenderer markdown, TextScreening screening, AuditLog audit, TimeProvider time, ILogger<TopicService> logger)
{
    public async Task<Result<int>> CreateAsync(TopicInput input, CancellationToken ct)
    {
        input.Normalize();
        var words = await ScreenAsync(input, ct);
        var (errors, html) = await CheckAsync(input, null, ct);
        errors.AddRange(words.Errors);
        if (errors.Count > 0)
        {
            return Result.Refused(errors).As<int>();
        }
        var now = time.GetUtcNow().UtcDateTime;
        var topic = new Topic { Slug = input.Slug!, Title = input.Title!, CreatedAt = now, UpdatedAt = now };
        Apply(topic, input, html);
        db.Topics.Add(topic);
        // The audit names the topic by its id, known after the first save: both saves commit together or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (await SaveAsync(ct) is { } conflict)
            {
                return conflict.As<int>();
            }
            audit.Add(AuditActions.TopicCreated, Target(topic.Id), $"“{topic.Title}”（/topics/{topic.Slug}），未发布");
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        logger.LogInformation("Topic {TopicId} {Slug} created", topic.Id, topic.Slug);
        return Result<int>.Done(topic.Id, $"已新建专题“{topic.Title}”。添加栏目和大事记后即可发布。{words.Note}");
    }

    public async Task<Result> UpdateAsync(int id, TopicInput input, CancellationToken ct)
    {
        var topic = await db.Topics.Include(t => t.OldSlugs).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (topic is null)
        {
            return Result.NotFound("没有这个专题。");
        }
        input.Normalize();
        var words = await ScreenAsync(input, ct);
        var (errors, html) = await CheckAsync(input, id, ct);
        errors.AddRange(words.Errors);
        if (errors.Count > 0)
        {
            return Result.Refused(errors);
        }
        var oldSlug = topic.Slug;
        topic.ChangeSlug(input.Slug!, time.GetUtcNow().UtcDateTime);
        Apply(topic, input, html);
        if (!db.ChangeTracker.HasChanges())
        {
            return Result.Unchanged("专题没有变化。");
        }
        topic.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(AuditActions.TopicChanged, Target(id),
            oldSlug == topic.Slug ? $"“{topic.Title}”" : $"“{topic.Title}”：网址由 /topics/{oldSlug} 改为 /topics/{topic.Slug}");
        return await SaveAsync(ct) ?? Result.Done($"已保存专题“{topic.Title}”。{words.Note}");
    }

    public async Task<Result> PublishAsync(int id, bool publish, CancellationToken ct)
    {
        var topic = await db.Topics.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (topic is null)
        {
            return Result.NotFound("没有这个专题。");
        }
        if (topic.IsPublished == publish)
        {
            return Result.Unchanged(publish ? "专题已经发布。" : "专题本来就未发布。");
        }
        if (publish && await ScreenStoredAsync(topic, ct) is { IsBlocked: true } report)
        {
            logger.LogInformation("Topic {TopicId} not published: blocked words {Words}", id, report.BlockedWords);
            return Result.Refused(report.BlockMessages("发布", "专题").Select(m => new InputError("", m)).ToList());
        }
        var now = time.GetUtcNow().UtcDateTime;
        topic.IsPublished = publish;
        // The first publication dates the topic (its place among the newest); publishing again keeps that date.
        topic.PublishedAt ??= publish ? now : null;
        topic.UpdatedAt = now;
        audit.Add(publish ? AuditActions.TopicPublished : AuditActions.TopicUnpublished, Target(id), $"“{topic.Title}”（/topics/{topic.Slug}）");
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Topic {TopicId} {Slug} {State}", id, topic.Slug, publish ? "published" : "unpublished");
        return Result.Done(publish ? $"已发布专题“{topic.Title}”。" : $"已撤下专题“{topic.Title}”，读者不再能看到它。");
    }

    public async Task<Result> DeleteAsync(int id, CancellationToken ct)
    {
        var topic = await db.Topics.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (topic is null)
        {
            return Result.NotFound("没有这个专题。");
        }
        if (topic.IsPublished)
        {
            return Result.Refused("专题已发布，请先撤下再删除。");
        }
        db.Topics.Remove(topic);
        audit.Add(AuditActions.TopicDeleted, Target(id), $"“{topic.Title}”（/topics/{topic.Slug}）");
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Topic {TopicId} {Slug} deleted", id, topic.Slug);
        return Result.Done($"已删除专题“{topic.Title}”。");
    }

    public async Task<Result<int>> AddSectionAsync(int topicId, TopicSectionInput input, CancellationToken ct)
    {
        var topic = await db.Topics.Include(t => t.Sections).SingleOrDefaultAsync(t => t.Id == topicId, ct);
        if (topic is null)
        {
            return Result.NotFound("没有这个专题。").As<int>();
        }
        if (topic.Sections.Count >= TopicRules.MaxSections)
        {
            return Result.Refused($"一个专题最多 {TopicRules.MaxSections} 个栏目。").As<int>();
        }
        var section = new TopicSection { Title = "", Position = topic.Sections.Count + 1 };
        if (await ApplySectionAsync(section, input, ct) is { } refused)
        {
            return refused.As<int>();
        }
        topic.Sections.Add(section);
        Touch(topic, AuditActions.TopicSectionsChanged, $"添加栏目“{section.Title}”（{Describe(section, input)}）");
        return await SaveAsync(ct) is { } conflict ? conflict.As<int>() : Result<int>.Done(section.Id, $"已添加栏目“{section.Title}”。");
    }

    public async Task<Result> UpdateSectionAsync(int topicId, int sectionId, TopicSectionInput input, CancellationToken ct)
    {
        var (topic, section) = await SectionAsync(topicId, sectionId, ct);
        if (topic is null || section is null)
        {
            return Result.NotFound("没有这个专题栏目。");
        }
        if (await ApplySectionAsync(section, input, ct) is { } refused)
        {
            return refused;
        }
        if (!db.ChangeTracker.HasChanges())
        {
            return Result.Unchanged("栏目没有变化。");
        }
        Touch(topic, AuditActions.TopicSectionsChanged, $"修改栏目“{section.Title}”（{Describe(section, input)}）");
        return await SaveAsync(ct) ?? Result.Done($"已保存栏目“{section.Title}”。");
    }

    /// <summary>Moves a section one place up (<paramref name="delta"/> −1) or down (+1).</summary>
    public async Task<Result> MoveSectionAsync(int topicId, int sectionId, int delta, CancellationToken ct)
    {
        var topic = await db.Topics.Include(t => t.Sections).SingleOrDefaultAsync(t => t.Id == topicId, ct);
        var ordered = topic?.Sections.OrderBy(s => s.Position).ThenBy(s => s.Id).ToList();
        var index = ordered?.FindIndex(s => s.Id == sectionId) ?? -1;
        if (topic is null || index < 0)
        {
            return Result.NotFound("没有这个专题栏目。");
        }
        var to = index + Math.Sign(delta);
        if (to < 0 || to >= ordered!.Count)
        {
            return Result.Unchanged("栏目已在最" + (to < 0 ? "前" : "后") + "。");
        }
        (ordered[index], ordered[to]) = (ordered[to], ordered[index]);
        Renumber(ordered, (s, p) => s.Position = p);
        Touch(topic, AuditActions.TopicSectionsChanged, $"调整栏目顺序：{string.Join("、", ordered.Select(s => s.Title))}");
        return await SaveAsync(ct) ?? Result.Done("已调整栏目顺序。");
    }

    public async Task<Result> RemoveSectionAsync(int topicId, int sectionId, CancellationToken ct)
    {
        var topic = await db.Topics.Include(t => t.Sections).SingleOrDefaultAsync(t => t.Id == topicId, ct);
        var section = topic?.Sections.FirstOrDefault(s => s.Id == sectionId);
        if (topic is null || section is null)
        {
            return Result.NotFound("没有这个专题栏目。");
        }
        db.TopicSections.Remove(section);
        Renumber(topic.Sections.Where(s => s != section).OrderBy(s => s.Position).ThenBy(s => s.Id).ToList(), (s, p) => s.Position = p);
        Touch(topic, AuditActions.TopicSectionsChanged, $"删除栏目“{section.Title}”");
        return await SaveAsync(ct) ?? Result.Done($"已删除栏目“{section.Title}”。");
    }

    /// <summary>Adds a report to a hand-picked section, at its end.</summary>
    public async Task<Result> AddArticleAsync(int topicId, int sectionId, string? reference, CancellationToken ct)
    {
        var (topic, section) = await SectionAsync(topicId, sectionId, ct, withArticles: true);
        if (topic is null || section is null)
        {
            return Result.NotFound("没有这个专题栏目。");
        }
        if (section.Source != TopicSectionSource.Articles)
        {
            return Result.Refused(new InputError("Article", "这个栏目的稿件来自标签或栏目，不能手选稿件；请先把稿件来源改为“手选稿件”。"));
        }
        if (TopicText.ArticleId(TopicText.Line(reference)) is not { } articleId)
        {
            return Result.Refused(new InputError("Article", "请填写稿件编号或稿件网址（如 /articles/12/…）。"));
        }
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == articleId && a.Status != ArticleStatus.Recycled)
            .Select(a => new { a.Id, a.Title }).SingleOrDefaultAsync(ct);
        if (article is null)
        {
            return Result.Refused(new InputError("Article", $"没有编号为 {articleId} 的稿件。"));
        }
        if (section.Articles.Any(a => a.ArticleId == articleId))
        {
            return Result.Unchanged($"“{article.Title}”已在这个栏目里。");
        }
        if (section.Articles.Count >= TopicRules.MaxPicked)
        {
            return Result.Refused(new InputError("Article", $"一个栏目最多手选 {TopicRules.MaxPicked} 篇稿件。"));
        }
        section.Articles.Add(new TopicSectionArticle { ArticleId = articleId, Position = section.Articles.Count + 1 });
        Touch(topic, AuditActions.TopicSectionsChanged, $"栏目“{section.Title}”加入稿件 {articleId}“{article.Title}”");
        return await SaveAsync(ct) ?? Result.Done($"已把“{article.Title}”加入栏目“{section.Title}”。");
    }

    public async Task<Result> MoveArticleAsync(int topicId, int sectionId, int articleId, int delta, CancellationToken ct)
    {
        var (topic, section) = await SectionAsync(topicId, sectionId, ct, withArticles: true);
        var ordered = section?.Articles.OrderBy(a => a.Position).ToList();
        var index = ordered?.FindIndex(a => a.ArticleId == articleId) ?? -1;
        if (topic is null || section is null || index < 0)
        {
            return Result.NotFound("栏目里没有这篇稿件。");
        }
        var to = index + Math.Sign(delta);
        if (to < 0 || to >= ordered!.Count)
        {
            return Result.Unchanged("稿件已在最" + (to < 0 ? "前" : "后") + "。");
        }
        (ordered[index], ordered[to]) = (ordered[to], ordered[index]);
        Renumber(ordered, (a, p) => a.Position = p);
        Touch(topic, AuditActions.TopicSectionsChanged, $"栏目“{section.Title}”的稿件顺序：{string.Join("、", ordered.Select(a => a.ArticleId))}");
        return await SaveAsync(ct) ?? Result.Done("已调整稿件顺序。");
    }

    public async Task<Result> RemoveArticleAsync(int topicId, int sectionId, int articleId, CancellationToken ct)
    {
        var (topic, section) = await SectionAsync(topicId, sectionId, ct, withArticles: true);
        var picked = section?.Articles.FirstOrDefault(a => a.ArticleId == articleId);
        if (topic is null || section is null || picked is null)
        {
            return Result.NotFound("栏目里没有这篇稿件。");
        }
        section.Articles.Remove(picked);
        db.TopicSectionArticles.Remove(picked);
        Renumber(section.Articles.OrderBy(a => a.Position).ToList(), (a, p) => a.Position = p);
        Touch(topic, AuditActions.TopicSectionsChanged, $"栏目“{section.Title}”移出稿件 {articleId}");
        return await SaveAsync(ct) ?? Result.Done("已从栏目中移出这篇稿件。");
    }

    public async Task<Result> AddTimelineEntryAsync(int topicId, TopicTimelineInput input, CancellationToken ct)
    {
        var topic = await db.Topics.SingleOrDefaultAsync(t => t.Id == topicId, ct);
        if (topic is null)
        {
            return Result.NotFound("没有这个专题。");
        }
        input.Normalize();
        var errors = new List<InputError>();
        if (!DateOnly.TryParseExact(input.Date, "yyyy-MM-dd", out var date) || date.Year is < 1900 or > 2999)
        {
            errors.Add(new("Date", "请按“年-月-日”填写日期，如 2020-06-21。"));
        }
        if (TopicRules.TimelineTextProblem(input.Text) is { } problem)
        {
            errors.Add(new("Text", problem));
        }
        var words = await ScreenAsync([new ScreenedText(nameof(TopicTimelineInput.Text), "大事记", false, false, input.Text)], ct);
        errors.AddRange(words.Errors);
        input.Text = words.Texts[0];
        int? articleId = null;
        if (input.Article is not null)
        {
            articleId = TopicText.ArticleId(input.Article);
            if (articleId is null || !await db.Articles.AnyAsync(a => a.Id == articleId && a.Status != ArticleStatus.Recycled, ct))
            {
                errors.Add(new("Article", "相关稿件应为已有稿件的编号或网址，也可以不填。"));
            }
        }
        if (await db.TopicTimelineEntries.CountAsync(e => e.TopicId == topicId, ct) >= TopicRules.MaxTimelineEntries)
        {
            errors.Add(new("", $"一个专题最多 {TopicRules.MaxTimelineEntries} 条大事记。"));
        }
        if (errors.Count > 0)
        {
            return Result.Refused(errors);
        }
        db.TopicTimelineEntries.Add(new TopicTimelineEntry { TopicId = topicId, Date = date, Text = input.Text!, ArticleId = articleId });
        Touch(topic, AuditActions.TopicTimelineChanged, $"添加大事记 {date:yyyy-MM-dd}：{input.Text}");
        return await SaveAsync(ct) ?? Result.Done($"已添加一条大事记。{words.Note}");
    }

    public async Task<Result> RemoveTimelineEntryAsync(int topicId, int entryId, CancellationToken ct)
    {
        var topic = await db.Topics.SingleOrDefaultAsync(t => t.Id == topicId, ct);
        var entry = await db.TopicTimelineEntries.SingleOrDefaultAsync(e => e.Id == entryId && e.TopicId == topicId, ct);
        if (topic is null || entry is null)
        {
            return Result.NotFound("没有这条大事记。");
        }
        db.TopicTimelineEntries.Remove(entry);
        Touch(topic, AuditActions.TopicTimelineChanged, $"删除大事记 {entry.Date:yyyy-MM-dd}：{entry.Text}");
        return await SaveAsync(ct) ?? Result.Done("已删除这条大事记。");
    }

    public static string Target(int id) => $"topic:{id}";

    /// <summary>What the word list made of a topic's texts: refusals for blocked words, the texts with replace-words masked, and a note.</summary>
    private sealed record WordCheck(List<InputError> Errors, IReadOnlyList<string?> Texts, string? Note);

    private async Task<WordCheck> ScreenAsync(IReadOnlyList<ScreenedText> texts, CancellationToken ct)
    {
        var (replaced, masked) = await screening.ReplaceAsync(texts, ct);
        var report = await screening.ScreenAsync(texts.Select((t, i) => t with { Text = masked[i] }), ct);
        var errors = report.Blocked
            .GroupBy(h => h.Field)
            .Select(g => new InputError(g.Key,
                "含有禁止使用的敏感词，不能保存（专题不经三审，保存即可能面向读者）：" + string.Join("；", g.Select(h => h.Describe()))))
            .ToList();
        var note = string.Concat(SensitiveWordReport.ReplacedMessage(replaced), report.FlaggedMessage());
        return new(errors, masked, note.Length > 0 ? note : null);
    }

    /// <summary>Screens the topic form's texts and puts the masked ones back into the input.</summary>
    private async Task<WordCheck> ScreenAsync(TopicInput input, CancellationToken ct)
    {
        var words = await ScreenAsync(
        [
            new(nameof(TopicInput.Title), "标题", false, false, input.Title),
            new(nameof(TopicInput.Introduction), "导语", true, true, input.Introduction),
            new(nameof(TopicInput.BannerImageAlt), "横幅图片说明", false, false, input.BannerImageAlt),
        ], ct);
        (input.Title, input.Introduction, input.BannerImageAlt) = (words.Texts[0], words.Texts[1], words.Texts[2]);
        return words;
    }

    /// <summary>Every text of a stored topic, for words listed after it was saved.</summary>
    private async Task<SensitiveWordReport> ScreenStoredAsync(Topic topic, CancellationToken ct)
    {
        var sections = await db.TopicSections.Where(s => s.TopicId == topic.Id).Select(s => s.Title).ToListAsync(ct);
        var timeline = await db.TopicTimelineEntries.Where(e => e.TopicId == topic.Id).Select(e => e.Text).ToListAsync(ct);
        return await screening.ScreenAsync(
        [
            new("Title", "标题", false, false, topic.Title),
            new("Introduction", "导语", true, true, topic.IntroductionMarkdown),
            new("BannerImageAlt", "横幅图片说明", false, false, topic.BannerImageAlt),
            .. sections.Select(t => new ScreenedText("Section", "栏目名称", false, false, t)),
            .. timeline.Select(t => new ScreenedText("Timeline", "大事记", false, false, t)),
        ], ct);
    }

    private async Task<(List<InputError> Errors, string Html)> CheckAsync(TopicInput input, int? id, CancellationToken ct)
    {
        var errors = new List<InputError>();
        if (TopicRules.TitleProblem(input.Title) is { } title)
        {
            errors.Add(new(nameof(TopicInput.Title), title));
        }
        if (TopicRules.SlugProblem(input.Slug) is { } slug)
        {
            errors.Add(new(nameof(TopicInput.Slug), slug));
        }
        else if (await db.Topics.AnyAsync(t => t.Slug == input.Slug && t.Id != id, ct))
        {
            errors.Add(new(nameof(TopicInput.Slug), $"网址别名“{input.Slug}”已被另一个专题使用。"));
        }
        else if (await db.TopicRedirects.Where(r => r.OldSlug == input.Slug && r.TopicId != id)
                     .Join(db.Topics, r => r.TopicId, t => t.Id, (r, t) => t.Title).FirstOrDefaultAsync(ct) is { } redirected)
        {
            // Taking it would silently send the old links and feed readers somewhere else.
            errors.Add(new(nameof(TopicInput.Slug),
                $"网址别名“{input.Slug}”以前用过，旧链接现在跳转到专题“{redirected}”；为了不让这些链接指向别处，不能再用于其他专题。"));
        }
        errors.AddRange(TopicRules.BannerProblems(input.BannerImageUrl, input.BannerImageAlt).Select(p => new InputError(p.Field, p.Message)));
        if (input.Position is not null && TopicText.Number(input.Position) is not (>= -9999 and <= 9999))
        {
            errors.Add(new(nameof(TopicInput.Position), "排序应为 -9999 到 9999 之间的整数，数字小的在前。"));
        }
        var html = "";
        if (input.Introduction?.Length > Topic.MaxIntroductionLength)
        {
            errors.Add(new(nameof(TopicInput.Introduction), $"导语不能超过 {Topic.MaxIntroductionLength} 个字符。"));
        }
        else if (input.Introduction is not null)
        {
            try
            {
                html = markdown.Render(input.Introduction);
            }
            catch (MarkdownRejectedException e)
            {
                errors.Add(new(nameof(TopicInput.Introduction), e.Message));
            }
        }
        return (errors, html);
    }

    private static void Apply(Topic topic, TopicInput input, string html)
    {
        topic.Title = input.Title!;
        topic.Slug = input.Slug!;
        topic.IntroductionMarkdown = input.Introduction ?? "";
        topic.IntroductionHtml = html;
        topic.BannerImageUrl = input.BannerImageUrl;
        topic.BannerImageAlt = input.BannerImageUrl is null ? null : input.BannerImageAlt;
        topic.Position = TopicText.Number(input.Position) ?? 0;
        topic.ShowOnFrontPage = input.ShowOnFrontPage;
    }

    /// <summary>Checks the section's input and applies it; the refusal, or null when applied.</summary>
    private async Task<Result?> ApplySectionAsync(TopicSection section, TopicSectionInput input, CancellationToken ct)
    {
        input.Normalize();
        var errors = new List<InputError>();
        if (TopicRules.SectionTitleProblem(input.Title) is { } title)
        {
            errors.Add(new(nameof(TopicSectionInput.Title), title));
        }
        var words = await ScreenAsync([new ScreenedText(nameof(TopicSectionInput.Title), "栏目名称", false, false, input.Title)], ct);
        errors.AddRange(words.Errors);
        input.Title = words.Texts[0];
        if (!Enum.TryParse<TopicSectionSource>(input.Source, ignoreCase: false, out var source) || !Enum.IsDefined(source))
        {
            errors.Add(new(nameof(TopicSectionInput.Source), "请选择稿件来源：标签、栏目或手选稿件。"));
        }
        int? tagId = null, channelId = null;
        if (source == TopicSectionSource.Tag && errors.All(e => e.Field != nameof(TopicSectionInput.Source)))
        {
            tagId = input.Tag is null ? null : await db.Tags.Where(t => t.Name == input.Tag).Select(t => (int?)t.Id).SingleOrDefaultAsync(ct);
            if (tagId is null)
            {
                errors.Add(new(nameof(TopicSectionInput.Tag), input.Tag is null ? "请填写标签。" : $"没有标签“{input.Tag}”。只能选用已有稿件用过的标签。"));
            }
        }
        else if (source == TopicSectionSource.Channel)
        {
            channelId = TopicText.Number(input.ChannelId);
            if (channelId is null || !await db.Channels.AnyAsync(c => c.Id == channelId, ct))
            {
                errors.Add(new(nameof(TopicSectionInput.ChannelId), "请选择一个已有的栏目。"));
            }
        }
        var maxItems = input.MaxItems is null ? TopicSection.DefaultMaxItems : TopicText.Number(input.MaxItems) ?? -1;
        if (maxItems < TopicRules.MaxItemsRange.Min || maxItems > TopicRules.MaxItemsRange.Max)
        {
            errors.Add(new(nameof(TopicSectionInput.MaxItems),
                $"显示条数应为 {TopicRules.MaxItemsRange.Min}–{TopicRules.MaxItemsRange.Max} 之间的整数。"));
        }
        if (errors.Count > 0)
        {
            return Result.Refused(errors);
        }
        section.Title = input.Title!;
        section.Source = source;
        section.TagId = tagId;
        section.ChannelId = channelId;
        section.MaxItems = maxItems;
        return null;
    }

    private static string Describe(TopicSection section, TopicSectionInput input) => section.Source switch
    {
        TopicSectionSource.Tag => $"标签“{input.Tag}”，{section.MaxItems} 条",
        TopicSectionSource.Channel => $"栏目 {section.ChannelId}，{section.MaxItems} 条",
        _ => "手选稿件",
    };

    private async Task<(Topic? Topic, TopicSection? Section)> SectionAsync(int topicId, int sectionId, CancellationToken ct, bool withArticles = false)
    {
        var topic = await db.Topics.SingleOrDefaultAsync(t => t.Id == topicId, ct);
        if (topic is null)
        {
            return (null, null);
        }
        var query = db.TopicSections.Where(s => s.Id == sectionId && s.TopicId == topicId);
        var section = withArticles ? await query.Include(s => s.Articles).SingleOrDefaultAsync(ct) : await query.SingleOrDefaultAsync(ct);
        return (topic, section);
    }

    /// <summary>A change to a part of the topic: the topic's time moves (its feed and sitemap entry), and it is audited.</summary>
    private void Touch(Topic topic, string action, string details)
    {
        topic.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(action, Target(topic.Id), $"“{topic.Title}”：{details}");
    }

    private static void Renumber<T>(IList<T> items, Action<T, int> set)
    {
        for (var i = 0; i < items.Count; i++)
        {
            set(items[i], i + 1);
        }
    }

    /// <summary>Two editors taking the same slug at once: the unique index refuses one.</summary>
    private async Task<Result?> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException e)
        {
            logger.LogInformation(e, "A topic change conflicted with another change");
            db.ChangeTracker.Clear();
            return Result.Conflict("专题刚刚被他人修改（或网址别名刚被占用），请刷新后重试。");
        }
    }
}
