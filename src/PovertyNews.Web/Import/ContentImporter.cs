using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;

namespace PovertyNews.Web.Import;

public sealed record ImportRejection(string Path, string Reason);

public sealed class ImportReport
{
    public List<string> Added { get; } = [];
    public List<string> Updated { get; } = [];
    public List<string> Unchanged { get; } = [];
    public List<ImportRejection> Rejected { get; } = [];
    public List<string> ChannelsAdded { get; } = [];
    public List<string> TopicsAdded { get; } = [];
    public bool SettingsCreated { get; set; }
}

/// <summary>
/// Imports content/ (site.yml, channels.yml, articles/**/*.md, topics.yml) into the database. Keyed by slug and by a hash of
/// each file, so running it again changes only what changed; a bad file is rejected with its reason and the rest
/// still go in.
/// </summary>
public sealed partial class ContentImporter(
    NewsDbContext db,
    MarkdownRenderer markdown,
    IReaderTextGate gate,
    TimeProvider time,
    ILogger<ContentImporter> logger,
    IContentMedia? media = null)
{
    public const string SiteFile = "site.yml";
    public const string ChannelsFile = "channels.yml";
    public const string TopicsFile = "topics.yml";

    public async Task<ImportReport> ImportAsync(string folder, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Content folder '{folder}' does not exist.");
        }
        var report = new ImportReport();
        // site.yml only seeds: it is read while the settings or the sidebars have no row yet.
        var seeded = await db.SiteSettings.AnyAsync(cancellationToken) && await db.SidebarSettings.AnyAsync(cancellationToken);
        var site = seeded ? null : await ReadSiteFileAsync(folder, report, cancellationToken);
        await ImportSettingsAsync(site, report, cancellationToken);
        await ImportChannelsAsync(folder, report, cancellationToken);
        await ImportSidebarsAsync(site, cancellationToken);
        await ImportArticlesAsync(folder, report, cancellationToken);
        await ImportTopicsAsync(folder, report, cancellationToken);
        logger.LogInformation(
            "Imported {Folder}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected",
            folder, report.Added.Count, report.Updated.Count, report.Unchanged.Count, report.Rejected.Count);
        return report;
    }

    /// <summary>
    /// Puts a video of the content folder (and its poster) into the media library, as an upload would (checked by its
    /// bytes, deduplicated by hash, so a second import finds them); their library URLs.
    /// </summary>
    private async Task<(string VideoUrl, string? PosterUrl)> ImportVideoAsync(string folder, string videoFile, string? posterFile,
        string title, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(media);
        async Task<byte[]> ReadAsync(string relative)
        {
            var path = Path.GetFullPath(Path.Combine(folder, relative));
            if (!path.StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new FrontMatterException($"'{relative}' is outside the content folder");
            }
            var (bytes, refusal) = await ContentFiles.ReadBytesAsync(folder, path, ct);
            return bytes ?? throw new FrontMatterException($"'{relative}': {refusal}");
        }
        var poster = posterFile is null ? null : await ReadAsync(posterFile);
        var video = await ReadAsync(videoFile);
        try
        {
            return await media.ImportVideoAsync(video, Path.GetFileName(videoFile), poster, posterFile is null ? null : Path.GetFileName(posterFile), title, ct);
        }
        catch (InvalidDataException e)
        {
            throw new FrontMatterException($"video_file '{videoFile}': {e.Message}");
        }
    }

    private static async Task<SiteFileModel?> ReadSiteFileAsync(string folder, ImportReport report, CancellationToken ct)
    {
        var path = Path.Combine(folder, SiteFile);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var (text, refusal) = await ContentFiles.ReadTextAsync(folder, path, ct);
            if (text is null)
            {
                report.Rejected.Add(new ImportRejection(path, refusal!));
                return null;
            }
            return FrontMatter.Deserialize<SiteFileModel>(text) ?? new SiteFileModel();
        }
        catch (FrontMatterException e)
        {
            report.Rejected.Add(new ImportRejection(path, e.Message));
            return null;
        }
    }

    // Settings belong to the administrators once the site runs: site.yml only seeds a new database.
    private async Task ImportSettingsAsync(SiteFileModel? file, ImportReport report, CancellationToken ct)
    {
        if (file is null || await db.SiteSettings.AnyAsync(ct))
        {
            return;
        }
        var defaults = new SiteSettings();
        db.SiteSettings.Add(new SiteSettings
        {
            SiteName = Clean(file.SiteName) ?? defaults.SiteName,
            Tagline = Clean(file.Tagline),
            CopyrightOwner = Clean(file.CopyrightOwner) ?? Clean(file.SiteName) ?? defaults.SiteName,
            CopyrightNotice = Clean(file.CopyrightNotice) ?? "",
            IcpNumber = Clean(file.IcpNumber),
            PublicSecurityFilingNumber = Clean(file.PublicSecurityFilingNumber),
            FooterLines = file.FooterLines is { Count: > 0 } lines ? string.Join('\n', lines) : null,
            DefaultHotline = Clean(file.DefaultHotline),
            DefaultWeChat = Clean(file.DefaultWechat),
        });
        await db.SaveChangesAsync(ct);
        report.SettingsCreated = true;
    }

    // Likewise the sidebars belong to the editors once the site runs; they need the channels, so come after them.
    private async Task ImportSidebarsAsync(SiteFileModel? file, CancellationToken ct)
    {
        if (file is null || await db.SidebarSettings.AnyAsync(ct))
        {
            return;
        }
        var opinion = Clean(file.OpinionChannel) ?? "yuqing";
        var town = Clean(file.TownChannel) ?? "xiaozhen";
        var channels = await db.Channels.Where(c => c.Slug == opinion || c.Slug == town).ToDictionaryAsync(c => c.Slug, c => c.Id, ct);
        var sidebars = new SidebarSettings();
        var count = file.SidebarItemCount is { } n && n >= SidebarSettings.ListCountRange.Min && n <= SidebarSettings.ListCountRange.Max
            ? n : sidebars.HotNewsCount;
        sidebars.Configure(Math.Min(count, sidebars.HotVideoCount), count,
            channels.TryGetValue(opinion, out var opinionId) ? opinionId : null, count,
            channels.TryGetValue(town, out var townId) ? townId : null, count);
        db.SidebarSettings.Add(sidebars);
        await db.SaveChangesAsync(ct);
    }

    private async Task ImportChannelsAsync(string folder, ImportReport report, CancellationToken ct)
    {
        var path = Path.Combine(folder, ChannelsFile);
        if (!File.Exists(path))
        {
            return;
        }
        List<ChannelFileModel> tree;
        try
        {
            var (text, refusal) = await ContentFiles.ReadTextAsync(folder, path, ct);
            if (text is null)
            {
                report.Rejected.Add(new ImportRejection(path, refusal!));
                return;
            }
            tree = FrontMatter.Deserialize<List<ChannelFileModel>>(text) ?? [];
        }
        catch (FrontMatterException e)
        {
            report.Rejected.Add(new ImportRejection(path, e.Message));
            return;
        }
        var existing = await db.Channels.ToDictionaryAsync(c => c.Slug, ct);
        // Slugs the newsroom renamed (or merged into another channel) redirect there; an import must not bring
        // them back as new, empty channels at the old address.
        var retired = await db.ChannelRedirects.ToDictionaryAsync(r => r.OldSlug, r => r.ChannelId, ct);
        var order = 0;
        void Visit(IEnumerable<ChannelFileModel> items, Channel? parent)
        {
            foreach (var item in items)
            {
                order++;
                if (Clean(item.Slug) is not { } slug || !SlugPattern().IsMatch(slug) || Clean(item.Name) is not { } name)
                {
                    report.Rejected.Add(new ImportRejection(path, $"channel #{order}: needs a slug (a-z, 0-9, '-') and a name"));
                    continue;
                }
                if (!existing.TryGetValue(slug, out var channel)
                    && retired.TryGetValue(slug, out var currentId) && existing.Values.FirstOrDefault(c => c.Id == currentId) is { } current)
                {
                    logger.LogInformation("Channel {Slug} now lives at {CurrentSlug}; the import leaves it as the newsroom set it", slug, current.Slug);
                    Visit(item.Children ?? [], current);
                    continue;
                }
                if (channel is null)
                {
                    channel = new Channel { Slug = slug, Name = name };
                    db.Channels.Add(channel);
                    existing[slug] = channel;
                    report.ChannelsAdded.Add(slug);
                }
                channel.Name = name;
                channel.Description = Clean(item.Description);
                channel.IsHidden = item.Hidden;
                channel.SortOrder = order;
                channel.Parent = parent;
                Visit(item.Children ?? [], channel);
            }
        }
        Visit(tree, null);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// topics.yml seeds 专题 by slug: a topic the database has already is the editors' from then on and is left as it
    /// is, so running the import again changes nothing. Sections and timeline entries name tags, channels and
    /// reports as the content files do (tag names, channel slugs, article slugs); a topic naming one that does not
    /// exist is rejected whole, with the reason.
    /// </summary>
    private async Task ImportTopicsAsync(string folder, ImportReport report, CancellationToken ct)
    {
        var path = Path.Combine(folder, TopicsFile);
        if (!File.Exists(path))
        {
            return;
        }
        List<TopicFileModel> topics;
        try
        {
            var (text, refusal) = await ContentFiles.ReadTextAsync(folder, path, ct);
            if (text is null)
            {
                report.Rejected.Add(new ImportRejection(path, refusal!));
                return;
            }
            topics = FrontMatter.Deserialize<List<TopicFileModel>>(text) ?? [];
        }
        catch (FrontMatterException e)
        {
            report.Rejected.Add(new ImportRejection(path, e.Message));
            return;
        }
        var existing = await db.Topics.Select(t => t.Slug).ToHashSetAsync(StringComparer.Ordinal, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var number = 0;
        foreach (var item in topics)
        {
            number++;
            var slug = Clean(item.Slug);
            if (slug is not null && existing.Contains(slug))
            {
                continue;
            }
            try
            {
                var topic = await TopicOfAsync(item, slug, now, ct);
                db.Topics.Add(topic);
                await db.SaveChangesAsync(ct);
                existing.Add(topic.Slug);
                report.TopicsAdded.Add(topic.Slug);
            }
            catch (FrontMatterException e)
            {
                db.ChangeTracker.Clear();
                report.Rejected.Add(new ImportRejection(path, $"topic #{number}: {e.Message}"));
                logger.LogWarning("Rejected topic #{Number} of {File}: {Reason}", number, TopicsFile, e.Message);
            }
        }
    }

    private async Task<Topic> TopicOfAsync(TopicFileModel item, string? slug, DateTime now, CancellationToken ct)
    {
        if (TopicRules.SlugProblem(slug) is { } slugProblem)
        {
            throw new FrontMatterException($"'slug': {slugProblem}");
        }
        var title = Clean(item.Title);
        if (TopicRules.TitleProblem(title) is { } titleProblem)
        {
            throw new FrontMatterException($"'title': {titleProblem}");
        }
        if (TopicRules.BannerProblems(Clean(item.Banner), Clean(item.BannerAlt)).FirstOrDefault() is { Message: { } bannerProblem })
        {
            throw new FrontMatterException($"'banner': {bannerProblem}");
        }
        var introduction = item.Introduction?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() ?? "";
        if (introduction.Length > Topic.MaxIntroductionLength)
        {
            throw new FrontMatterException($"'introduction' is longer than {Topic.MaxIntroductionLength} characters");
        }
        string html;
        try
        {
            html = markdown.Render(introduction);
        }
        catch (MarkdownRejectedException e)
        {
            throw new FrontMatterException($"introduction refused: {e.Message}");
        }
        var topic = new Topic
        {
            Slug = slug!, Title = title!, IntroductionMarkdown = introduction, IntroductionHtml = html,
            BannerImageUrl = Clean(item.Banner), BannerImageAlt = Clean(item.BannerAlt), ShowOnFrontPage = item.FrontPage,
            Position = item.Position, IsPublished = item.Published, PublishedAt = item.Published ? now : null, CreatedAt = now, UpdatedAt = now,
        };
        var position = 0;
        foreach (var section in item.Sections ?? [])
        {
            topic.Sections.Add(await SectionOfAsync(section, ++position, ct));
        }
        foreach (var entry in item.Timeline ?? [])
        {
            if (!DateOnly.TryParseExact(Clean(entry.Date), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FrontMatterException($"timeline 'date' must be yyyy-MM-dd (got '{entry.Date}')");
            }
            if (TopicRules.TimelineTextProblem(Clean(entry.Text)) is { } textProblem)
            {
                throw new FrontMatterException($"timeline 'text': {textProblem}");
            }
            topic.Timeline.Add(new TopicTimelineEntry
            {
                Date = date, Text = Clean(entry.Text)!, ArticleId = Clean(entry.Article) is { } article ? await ArticleIdAsync(article, ct) : null,
            });
        }
        return topic;
    }

    private async Task<TopicSection> SectionOfAsync(TopicSectionFileModel item, int position, CancellationToken ct)
    {
        var title = Clean(item.Title);
        if (TopicRules.SectionTitleProblem(title) is { } problem)
        {
            throw new FrontMatterException($"section #{position} 'title': {problem}");
        }
        var section = new TopicSection { Title = title!, Position = position, MaxItems = item.MaxItems ?? TopicSection.DefaultMaxItems };
        if (section.MaxItems < TopicRules.MaxItemsRange.Min || section.MaxItems > TopicRules.MaxItemsRange.Max)
        {
            throw new FrontMatterException($"section '{title}': 'max_items' must be {TopicRules.MaxItemsRange.Min}–{TopicRules.MaxItemsRange.Max}");
        }
        var sources = new[] { Clean(item.Tag) is not null, Clean(item.Channel) is not null, item.Articles is { Count: > 0 } }.Count(x => x);
        if (sources != 1)
        {
            throw new FrontMatterException($"section '{title}' needs exactly one of 'tag', 'channel' or 'articles'");
        }
        if (Clean(item.Tag) is { } tag)
        {
            section.Source = TopicSectionSource.Tag;
            section.TagId = await db.Tags.Where(t => t.Name == tag).Select(t => (int?)t.Id).SingleOrDefaultAsync(ct)
                ?? throw new FrontMatterException($"section '{title}': no tag '{tag}' (tags come from the articles)");
        }
        else if (Clean(item.Channel) is { } channel)
        {
            section.Source = TopicSectionSource.Channel;
            section.ChannelId = await db.Channels.Where(c => c.Slug == channel).Select(c => (int?)c.Id).SingleOrDefaultAsync(ct)
                ?? throw new FrontMatterException($"section '{title}': unknown channel '{channel}' (not in {ChannelsFile})");
        }
        else
        {
            section.Source = TopicSectionSource.Articles;
            var order = 0;
            foreach (var slug in item.Articles!.Select(Clean).OfType<string>().Distinct())
            {
                section.Articles.Add(new TopicSectionArticle { ArticleId = await ArticleIdAsync(slug, ct), Position = ++order });
            }
        }
        return section;
    }

    private async Task<int> ArticleIdAsync(string slug, CancellationToken ct) =>
        await db.Articles.Where(a => a.Slug == slug).Select(a => (int?)a.Id).SingleOrDefaultAsync(ct)
        ?? throw new FrontMatterException($"no article with slug '{slug}'");

    private async Task ImportArticlesAsync(string folder, ImportReport report, CancellationToken ct)
    {
        var files = ContentFiles.FindMarkdown(folder, (relative, reason) => Refuse(report, relative, reason));
        var channels = await db.Channels.ToDictionaryAsync(c => c.Slug, c => c.Id, ct);
        foreach (var redirect in await db.ChannelRedirects.AsNoTracking().ToListAsync(ct))
        {
            channels.TryAdd(redirect.OldSlug, redirect.ChannelId);
        }
        var tags = await db.Tags.ToDictionaryAsync(t => t.Name, ct);
        var seenSlugs = new Dictionary<string, string>();
        var now = time.GetUtcNow().UtcDateTime;
        var pending = 0;
        var placements = new List<(Article Article, CurationBlock Block, int Order, string File)>();

        foreach (var (file, relative) in files)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var (bytes, refusal) = await ContentFiles.ReadBytesAsync(folder, file, ct);
                var text = bytes is null ? null : ContentFiles.Decode(bytes, out refusal);
                if (bytes is null || text is null)
                {
                    Refuse(report, relative, refusal!);
                    continue;
                }
                var hash = Convert.ToHexString(SHA256.HashData(bytes));
                var (meta, body) = FrontMatter.Parse<ArticleFrontMatter>(text);
                var valid = Validate(meta, channels);
                if (seenSlugs.TryGetValue(valid.Slug, out var other))
                {
                    throw new FrontMatterException($"slug '{valid.Slug}' is already used by {other}");
                }
                seenSlugs[valid.Slug] = relative;

                var article = await db.Articles.Include(a => a.Tags).SingleOrDefaultAsync(a => a.Slug == valid.Slug, ct);
                if (article?.ImportHash == hash)
                {
                    report.Unchanged.Add(relative);
                    continue;
                }
                // Without the media library (an importer made for text alone, as the search tests make it) a video file is
                // left out and the article keeps its poster.
                if (Clean(meta.VideoFile) is { } videoFile && media is not null)
                {
                    (meta.VideoUrl, var poster) = await ImportVideoAsync(folder, videoFile, Clean(meta.PosterFile), valid.Title, ct);
                    meta.Poster = poster ?? meta.Poster;
                }
                string html;
                try
                {
                    html = markdown.Render(body);
                }
                catch (MarkdownRejectedException e)
                {
                    throw new FrontMatterException($"body refused: {e.Message}");
                }

                var isNew = article is null;
                if (article is { KeepsReviewedText: true })
                {
                    // The reviewed text stays live: the file's text waits as a pending version for the newsroom's review.
                    await StagePendingAsync(article, meta, valid, body, hash, now, ct);
                    report.Updated.Add(relative);
                    logger.LogInformation("Content file {File} changed reviewed article {ArticleId}: staged as a pending version for review",
                        relative, article.Id);
                    continue;
                }
                if (valid.Publish && await gate.ScreenAsync(Probe(meta, valid, body, html, hash, now), "导入发布", ct) is { Count: > 0 } refusals)
                {
                    throw new FrontMatterException(string.Join(" ", refusals));
                }
                article ??= db.Articles.Add(new Article { Slug = valid.Slug, Title = valid.Title, CreatedAt = now }).Entity;
                Apply(article, meta, valid, body, html, hash, now);
                article.Tags.Clear();
                foreach (var name in valid.Tags)
                {
                    if (!tags.TryGetValue(name, out var tag))
                    {
                        tag = db.Tags.Add(new Tag { Name = name }).Entity;
                        tags[name] = tag;
                    }
                    article.Tags.Add(tag);
                }
                if (valid.Publish)
                {
                    // Screened above; this replaces replace-words on the way to readers.
                    await gate.PassAsync(article, "导入发布", ct);
                }
                if (isNew)
                {
                    // Front matter places a new article; from then on the editors' curation decides.
                    if (meta.Headline)
                    {
                        placements.Add((article, CurationBlock.Headline, meta.HeadlineOrder, relative));
                    }
                    if (meta.Pinned)
                    {
                        placements.Add((article, valid.Kind == ArticleKind.Video ? CurationBlock.HotVideos : CurationBlock.HotNews, meta.PinOrder, relative));
                    }
                }
                (isNew ? report.Added : report.Updated).Add(relative);
                if (++pending >= 500)
                {
                    await db.SaveChangesAsync(ct);
                    pending = 0;
                }
            }
            catch (Exception e) when (e is FrontMatterException or IOException or UnauthorizedAccessException or DecoderFallbackException)
            {
                Refuse(report, relative, e.Message);
            }
        }
        await PlaceAsync(placements, now, ct);
        await db.SaveChangesAsync(ct);
    }

    private void Refuse(ImportReport report, string relative, string reason)
    {
        logger.LogWarning("Rejected content file {File}: {Reason}", relative, reason);
        report.Rejected.Add(new ImportRejection(relative, reason));
    }

    /// <summary>Adds the placements new files asked for, after the block's existing ones, in headline_order / pin_order.</summary>
    private async Task PlaceAsync(List<(Article Article, CurationBlock Block, int Order, string File)> requests, DateTime now, CancellationToken ct)
    {
        foreach (var block in requests.Select(r => r.Block).Distinct())
        {
            var list = new PlacementList(block, await db.Placements.Where(p => p.Block == block).ToListAsync(ct));
            foreach (var request in requests.Where(r => r.Block == block).OrderBy(r => r.Order))
            {
                try
                {
                    if (list.Place(request.Article, now) is { Renewed: false } placed)
                    {
                        db.Placements.Add(placed.Placement);
                    }
                }
                catch (WorkflowException e)
                {
                    logger.LogWarning("Content file {File} was imported but not placed in {Block}: {Reason}", request.File, block, e.Message);
                }
            }
        }
    }

    private sealed record ValidFrontMatter(string Slug, string Title, int ChannelId, ArticleKind Kind, DateTime? PublishedAt, bool Publish, List<string> Tags);

    private static ValidFrontMatter Validate(ArticleFrontMatter meta, Dictionary<string, int> channels)
    {
        var slug = Clean(meta.Slug) ?? throw new FrontMatterException("'slug' is required");
        if (!SlugPattern().IsMatch(slug) || slug.Length > 200)
        {
            throw new FrontMatterException($"'slug' must be lowercase letters, digits and '-' (got '{slug}')");
        }
        var title = Clean(meta.Title) ?? throw new FrontMatterException("'title' is required");
        if (title.Length > ArticleRules.MaxTitle)
        {
            throw new FrontMatterException("'title' is longer than 200 characters");
        }
        var channelSlug = Clean(meta.Channel) ?? throw new FrontMatterException("'channel' is required");
        if (!channels.TryGetValue(channelSlug, out var channelId))
        {
            throw new FrontMatterException($"unknown channel '{channelSlug}' (not in {ChannelsFile})");
        }
        var kind = Clean(meta.Kind)?.ToLowerInvariant() switch
        {
            null or "article" => ArticleKind.Article,
            "video" => ArticleKind.Video,
            "gallery" => ArticleKind.Gallery,
            var other => throw new FrontMatterException($"'kind' must be 'article', 'video' or 'gallery' (got '{other}')"),
        };
        var publish = Clean(meta.Status)?.ToLowerInvariant() switch
        {
            null or "published" => true,
            "draft" => false,
            var other => throw new FrontMatterException($"'status' must be 'published' or 'draft' (got '{other}')"),
        };
        DateTime? publishedAt = null;
        if (Clean(meta.Published) is { } published)
        {
            if (!DateTimeOffset.TryParse(published, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                throw new FrontMatterException($"'published' is not a date and time (got '{published}')");
            }
            // A time without an offset is China Standard Time, as a newsroom in Beijing would write it.
            if (!HasOffset(published) && parsed.Year is >= MinYear and <= MaxYear)
            {
                parsed = new DateTimeOffset(parsed.DateTime, ChinaTime.Offset);
            }
            // Checked before the shift to UTC, which leaves DateTime's range at year 1.
            if (parsed.Year is < MinYear or > MaxYear)
            {
                throw new FrontMatterException($"'published' must be between the years {MinYear} and {MaxYear} (got '{published}')");
            }
            publishedAt = parsed.UtcDateTime;
        }
        else if (publish)
        {
            throw new FrontMatterException("'published' is required for a published article");
        }
        if (Clean(meta.Cover) is not null && Clean(meta.CoverAlt) is null)
        {
            throw new FrontMatterException("'cover_alt' is required when 'cover' is given");
        }
        // The editor's limits (ArticleRules): a file may not bring in what the form would refuse.
        foreach (var (field, value, max) in new[]
                 {
                     ("subtitle", meta.Subtitle, ArticleRules.MaxSubtitle), ("summary", meta.Summary, ArticleRules.MaxSummary),
                     ("source", meta.Source, ArticleRules.MaxByline), ("reprinted_from", meta.ReprintedFrom, ArticleRules.MaxByline),
                     ("author", meta.Author, ArticleRules.MaxByline), ("editor", meta.Editor, ArticleRules.MaxByline),
                     ("hotline", meta.Hotline, ArticleRules.MaxHotline), ("wechat", meta.Wechat, ArticleRules.MaxByline),
                     ("cover", meta.Cover, ArticleRules.MaxUrl), ("cover_alt", meta.CoverAlt, ArticleRules.MaxCoverAlt),
                     ("poster", meta.Poster, ArticleRules.MaxUrl), ("video_url", meta.VideoUrl, ArticleRules.MaxUrl),
                 })
        {
            if (Clean(value) is { Length: var length } && length > max)
            {
                throw new FrontMatterException($"'{field}' is longer than {max} characters");
            }
        }
        foreach (var url in new[] { meta.Cover, meta.Poster, meta.VideoUrl })
        {
            if (Clean(url) is { } u && !ArticleRules.IsSafeUrl(u))
            {
                throw new FrontMatterException($"'{u}' is not an http(s) or site-relative URL");
            }
        }
        if (meta.Tags is { Count: > ArticleRules.MaxTags * 4 })
        {
            throw new FrontMatterException($"at most {ArticleRules.MaxTags} tags (got {meta.Tags.Count})");
        }
        var tags = (meta.Tags ?? []).Select(Clean).OfType<string>().Distinct().ToList();
        if (tags.Count > ArticleRules.MaxTags)
        {
            throw new FrontMatterException($"at most {ArticleRules.MaxTags} tags (got {tags.Count})");
        }
        if (tags.Any(t => t.Length > ArticleRules.MaxTagLength || t.Contains('/')))
        {
            throw new FrontMatterException($"tags must be at most {ArticleRules.MaxTagLength} characters and contain no '/'");
        }
        return new ValidFrontMatter(slug, title, channelId, kind, publishedAt, publish, tags);
    }

    private void Apply(Article article, ArticleFrontMatter meta, ValidFrontMatter valid, string body, string html, string hash, DateTime now)
    {
        article.Title = valid.Title;
        article.Subtitle = Clean(meta.Subtitle);
        article.Summary = Clean(meta.Summary) ?? Excerpt(markdown.ToPlainText(body));
        article.ChannelId = valid.ChannelId;
        article.Source = Clean(meta.Source);
        article.ReprintedFrom = Clean(meta.ReprintedFrom);
        article.Author = Clean(meta.Author);
        article.ResponsibleEditor = Clean(meta.Editor);
        article.ContactHotline = Clean(meta.Hotline);
        article.ContactWeChat = Clean(meta.Wechat);
        article.CoverImageUrl = Clean(meta.Cover);
        article.CoverImageAlt = Clean(meta.CoverAlt);
        article.Kind = valid.Kind;
        article.VideoUrl = Clean(meta.VideoUrl);
        article.VideoPosterUrl = Clean(meta.Poster);
        article.SetBody(body, html);
        article.ImportHash = hash;
        article.UpdatedAt = now;
        if (valid.Publish && !article.IsWithdrawn)
        {
            article.Publish(now, valid.PublishedAt);
        }
        else if (!valid.Publish && !article.IsWithdrawn)
        {
            article.ReturnToDraft();
        }
    }

    /// <summary>The file as an article that is not tracked, for the word gate to read before anything changes.</summary>
    private Article Probe(ArticleFrontMatter meta, ValidFrontMatter valid, string body, string html, string hash, DateTime now)
    {
        var probe = new Article { Slug = valid.Slug, Title = valid.Title, CreatedAt = now };
        Apply(probe, meta, valid with { Publish = false }, body, html, hash, now);
        probe.Tags = [.. valid.Tags.Select(name => new Tag { Name = name })];
        return probe;
    }

    /// <summary>The file's text as a revision that becomes the article's pending version; the article itself is untouched.</summary>
    private async Task StagePendingAsync(Article article, ArticleFrontMatter meta, ValidFrontMatter valid, string body, string hash,
        DateTime now, CancellationToken ct)
    {
        var probe = new Article { Slug = valid.Slug, Title = valid.Title, CreatedAt = now };
        Apply(probe, meta, valid with { Publish = false }, body, "", hash, now);
        probe.Tags = [.. valid.Tags.Select(name => new Tag { Name = name })];
        probe.Id = article.Id;
        var number = (await db.ArticleRevisions.Where(r => r.ArticleId == article.Id).MaxAsync(r => (int?)r.Number, ct) ?? 0)
            + db.ArticleRevisions.Local.Count(r => r.ArticleId == article.Id) + 1;
        var revision = ArticleRevision.Of(probe, number, ImportActor, now, "内容导入");
        revision.UserId = null; // no newsroom user wrote it, so no one is kept from reviewing it
        revision.CorrectionNote = article.CorrectionNote; // files carry no 更正; the one readers see stays
        db.ArticleRevisions.Add(revision);
        article.ImportHash = hash;
        article.StageChange(null, number, now);
    }

    private static readonly Actor ImportActor = new("", "内容导入", new HashSet<string>());

    private static string Excerpt(string text) => text.Length <= 120 ? text : text[..120] + "…";

    private static bool HasOffset(string value) => OffsetPattern().IsMatch(value.Trim());

    // A news article's time: before 1900 or after 2999 is a typo, and year 1 cannot even be shifted to UTC.
    private const int MinYear = 1900;
    private const int MaxYear = 2999;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();

    private sealed class SiteFileModel
    {
        public string? SiteName { get; set; }
        public string? Tagline { get; set; }
        public string? CopyrightOwner { get; set; }
        public string? CopyrightNotice { get; set; }
        public string? IcpNumber { get; set; }
        public string? PublicSecurityFilingNumber { get; set; }
        public List<string>? FooterLines { get; set; }
        public string? DefaultHotline { get; set; }
        public string? DefaultWechat { get; set; }
        public string? OpinionChannel { get; set; }
        public string? TownChannel { get; set; }
        public int? SidebarItemCount { get; set; }
    }

    private sealed class TopicFileModel
    {
        public string? Slug { get; set; }
        public string? Title { get; set; }
        public string? Introduction { get; set; }
        public string? Banner { get; set; }
        public string? BannerAlt { get; set; }
        public bool Published { get; set; }
        public bool FrontPage { get; set; }
        public int Position { get; set; }
        public List<TopicSectionFileModel>? Sections { get; set; }
        public List<TopicTimelineFileModel>? Timeline { get; set; }
    }

    private sealed class TopicSectionFileModel
    {
        public string? Title { get; set; }
        public string? Tag { get; set; }
        public string? Channel { get; set; }
        public List<string>? Articles { get; set; }
        public int? MaxItems { get; set; }
    }

    private sealed class TopicTimelineFileModel
    {
        public string? Date { get; set; }
        public string? Text { get; set; }
        public string? Article { get; set; }
    }

    private sealed class ChannelFileModel
    {
        public string? Slug { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public bool Hidden { get; set; }
        public List<ChannelFileModel>? Children { get; set; }
    }
}
