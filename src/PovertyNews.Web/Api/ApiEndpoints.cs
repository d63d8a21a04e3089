using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Api;

/// <summary>
/// The read API's endpoints. Every query starts from what readers may see (<see cref="Article.VisibleAt"/>, published
/// topics, channels that are not hidden) and projects to the public records of ApiModels, so nothing of the newsroom
/// can reach a partner. Query values arrive as text and are checked here: a bad one is a 400 in Chinese, never a 500.
/// </summary>
public static partial class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    // The query values each list reads: its cache key varies by exactly these, and its next link carries only these.
    private static readonly string[] ArticleKeys = ["channel", "tag", "since", "kind", "cursor", "limit"];
    private static readonly string[] TagKeys = ["cursor", "limit"];
    private static readonly string[] SearchKeys = ["q", "channel", "kind", "sort", "page"];

    public static RouteGroupBuilder MapApiEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/articles", ListArticlesAsync)
            .CacheOutput(new ApiCachePolicy(ArticleKeys) { Tags = [CacheTags.Search] })
            .WithName("listArticles").WithTags("稿件")
            .WithSummary("稿件列表")
            .WithDescription("公开稿件，按发布时间从新到旧，每页 limit 篇。翻页请直接请求返回的 next 地址，直到 next 为 null；若自己拼地址，须带上 nextCursor 和与上一页相同的 channel、tag、kind、since（游标只对同一组筛选条件有效，条件不同时答 400）。草稿、定时未到、已撤回或已下线的稿件不会出现；稿件的修改、撤稿和下线不会改变它在列表中的位置，可请本站登记 webhook 接收这些通知。")
            .Produces<ApiArticlePage>(contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/articles/{id:int}", GetArticleAsync)
            .CacheOutput(new ApiCachePolicy())
            .WithName("getArticle").WithTags("稿件")
            .WithSummary("一篇稿件")
            .WithDescription("稿件的全部公开信息和正文 HTML。不公开的稿件答 404。")
            .Produces<ApiArticle>(contentType: "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/channels", ListChannelsAsync)
            .CacheOutput(new ApiCachePolicy { Tags = [CacheTags.Navigation, CacheTags.Search] })
            .WithName("listChannels").WithTags("栏目")
            .WithSummary("栏目列表")
            .WithDescription("全部公开栏目，按导航顺序；子栏目的 parentId 指向上级。栏目筛选包含其子栏目的稿件。")
            .Produces<ApiChannelList>(contentType: "application/json");
        api.MapGet("/tags", ListTagsAsync)
            .CacheOutput(new ApiCachePolicy(TagKeys) { Tags = [CacheTags.Search] })
            .WithName("listTags").WithTags("标签")
            .WithSummary("标签列表")
            .WithDescription("至少有一篇公开稿件的标签及其稿件数，按 ID 分页。")
            .Produces<ApiTagPage>(contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/topics", ListTopicsAsync)
            .CacheOutput(new ApiCachePolicy { Tags = [CacheTags.Topics] })
            .WithName("listTopics").WithTags("专题")
            .WithSummary("专题列表")
            .WithDescription("全部已发布的专题，按编辑排定的顺序。")
            .Produces<ApiTopicList>(contentType: "application/json");
        api.MapGet("/topics/{slug}", GetTopicAsync)
            .CacheOutput(new ApiCachePolicy { Tags = [CacheTags.Topics] })
            .WithName("getTopic").WithTags("专题")
            .WithSummary("一个专题")
            .WithDescription("专题的导语、有内容的板块和大事记。编辑选定的板块按编辑排定的顺序列出稿件；按标签或栏目汇集的板块列出最新的公开稿件。每个板块的篇数由编辑设定（1 到 30 篇），同一篇只出现在第一个列出它的板块。大事记的日期是北京时间的日期，关联了稿件的条目带 articleId 和 apiUrl。")
            .Produces<ApiTopic>(contentType: "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/search", SearchAsync)
            .CacheOutput(new ApiCachePolicy(SearchKeys) { Tags = [CacheTags.Search] })
            .WithName("search").WithTags("搜索")
            .WithSummary("搜索稿件")
            .WithDescription("与网站搜索相同的全文检索，只查公开稿件。按相关度（默认）或时间排序，按页码分页（相关度排序没有稳定的游标），每页 20 条；超出最后一页时答 200 和空的 items。搜索词最长 100 个字，更长的只按前 100 个字查找（notices 中说明）；栏目标识不存在时在全部栏目中查找（notices 中说明）。")
            .Produces<ApiSearchPage>(contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        // Anything else under the prefix: a JSON 404, not the site's HTML error page.
        api.MapFallback(() => ApiResults.NotFound("没有这个接口。接口列表见 /api/docs。")).ExcludeFromDescription();
        return api;
    }

    private sealed record ArticleRow(int Id, string Slug, string Title, string? Subtitle, string Summary, int ChannelId, string ChannelSlug,
        string ChannelName, List<string> Tags, string? Source, string? ReprintedFrom, string? Author, DateTime PublishedAt, DateTime UpdatedAt,
        ArticleKind Kind, string? Image);

    private static async Task<IResult> ListArticlesAsync(HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time,
        IOptions<ApiOptions> options,
        [Description("栏目标识（见 /api/v1/channels 的 slug），含子栏目")] string? channel,
        [Description("标签名称")] string? tag,
        [Description("只列出此时刻及以后发布的稿件，ISO 8601，如 2020-06-01T00:00:00+08:00（地址中的 + 应写作 %2B；未写成 %2B 而变成空格的也按 + 理解）。不带时区时按北京时间理解")] string? since,
        [Description("类型：article、gallery 或 video")] string? kind,
        [Description("上一页返回的 nextCursor；第一页不填。须与上一页的 channel、tag、kind、since 相同")] string? cursor,
        [Description("每页篇数")] string? limit,
        CancellationToken ct)
    {
        if (ParseLimit(limit, options.Value) is not { } take)
        {
            return ApiResults.BadRequest("limit", $"limit 应为 1 到 {options.Value.MaxPageSize} 之间的整数。");
        }
        ApiCursor? after = null;
        if (cursor is not null && (after = ApiCursor.Decode(cursor)) is null)
        {
            return ApiResults.BadRequest("cursor", "cursor 无效。请使用上一页返回的 nextCursor，不要自行构造。");
        }
        ArticleKind? wantedKind = null;
        if (kind is not null && (wantedKind = ParseKind(kind)) is null)
        {
            return ApiResults.BadRequest("kind", "kind 只能是 article、gallery 或 video。");
        }
        DateTime? from = null;
        if (since is not null && (from = ParseSince(since)) is null)
        {
            return ApiResults.BadRequest("since", "since 应为 ISO 8601 时间，如 2020-06-01T00:00:00%2B08:00（+ 在地址中写作 %2B），或不带时区的北京时间 2020-06-01T00:00:00。");
        }
        var filters = ApiCursor.FiltersOf(channel?.Trim(), tag?.Trim(), from?.Ticks.ToString(CultureInfo.InvariantCulture), wantedKind?.ToString());
        if (after is { } given && given.Filters != filters)
        {
            return ApiResults.BadRequest("cursor", "cursor 属于另一组筛选条件。翻页时请带上与上一页相同的 channel、tag、kind、since，或直接请求上一页返回的 next 地址。");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Articles.AsNoTracking().Where(Article.VisibleAt(now));
        if (channel is not null)
        {
            var snapshot = await portal.GetAsync(ct);
            if (snapshot.FindChannel(channel.Trim()) is not { } found)
            {
                return ApiResults.BadRequest("channel", $"没有标识为“{channel}”的栏目。栏目列表见 {Prefix}/channels。");
            }
            var ids = snapshot.SubtreeIds(found.Id);
            query = query.Where(a => ids.Contains(a.ChannelId));
        }
        if (tag is not null)
        {
            var name = tag.Trim();
            query = query.Where(a => a.Tags.Any(t => t.Name == name));
        }
        if (wantedKind is { } k)
        {
            query = query.Where(a => a.Kind == k);
        }
        if (from is { } f)
        {
            query = query.Where(a => a.PublishedAt >= f);
        }
        if (after is { } c)
        {
            // The plain bound is what PostgreSQL seeks with: with the OR alone it read the index from the newest
            // article down to the cursor, so pages slowed with their depth (460 ms for a 2017 cursor at 300,000
            // articles, 0.1 ms with the bound). SQLite 3.4x derives the bound by itself.
            query = query.Where(a => a.PublishedAt <= c.PublishedAt
                && (a.PublishedAt < c.PublishedAt || (a.PublishedAt == c.PublishedAt && a.Id < c.Id)));
        }
        var rows = await query.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(take + 1)
            .Select(a => new ArticleRow(a.Id, a.Slug, a.Title, a.Subtitle, a.Summary, a.ChannelId, a.Channel!.Slug, a.Channel.Name,
                a.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(), a.Source, a.ReprintedFrom, a.Author, a.PublishedAt!.Value, a.UpdatedAt,
                a.Kind, a.Kind == ArticleKind.Video ? a.VideoPosterUrl ?? a.CoverImageUrl : a.CoverImageUrl))
            .ToListAsync(ct);
        var baseUrl = ApiResults.BaseUrl(http);
        var more = rows.Count > take;
        var page = rows.Take(take).ToList();
        var nextCursor = more ? new ApiCursor(page[^1].PublishedAt, page[^1].Id, filters).Encode() : null;
        var items = page.Select(r => new ApiArticleItem(r.Id, baseUrl + PublicUrls.Article(r.Id, r.Slug), $"{baseUrl}{Prefix}/articles/{r.Id}",
            r.Title, r.Subtitle, r.Summary, Channel(baseUrl, r.ChannelId, r.ChannelSlug, r.ChannelName),
            r.Tags.Select(t => Tag(baseUrl, t)).ToList(), r.Source, r.ReprintedFrom, r.Author, ApiResults.Utc(r.PublishedAt),
            ApiResults.Utc(r.UpdatedAt), ApiResults.Absolute(baseUrl, r.Image), ApiResults.KindName(r.Kind))).ToList();
        return ApiResults.Json(http, new ApiArticlePage(items, NextUrl(http, ArticleKeys, nextCursor, "cursor"), nextCursor));
    }

    private static async Task<IResult> GetArticleAsync(HttpContext http, NewsDbContext db, TimeProvider time,
        [Description("稿件 ID")] int id, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var a = await db.Articles.AsNoTracking().Where(Article.VisibleAt(now)).Where(a => a.Id == id)
            .Select(a => new
            {
                a.Id, a.Slug, a.Title, a.Subtitle, a.Summary, a.ChannelId, ChannelSlug = a.Channel!.Slug, ChannelName = a.Channel.Name,
                Tags = a.Tags.OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToList(),
                a.Source, a.ReprintedFrom, a.Author, PublishedAt = a.PublishedAt!.Value, a.UpdatedAt,
                Image = a.Kind == ArticleKind.Video ? a.VideoPosterUrl ?? a.CoverImageUrl : a.CoverImageUrl, a.CoverImageAlt,
                a.Kind, a.VideoUrl, a.CorrectionNote, a.BodyHtml,
            })
            .SingleOrDefaultAsync(ct);
        if (a is null)
        {
            return ApiResults.NotFound($"没有 ID 为 {id} 的公开稿件。");
        }
        // Evicted by what the article page is evicted by: its own changes, its channel's and its tags' renames.
        http.TagOutput([CacheTags.Article(a.Id), CacheTags.Channel(a.ChannelId), .. a.Tags.Select(t => CacheTags.Tag(t.Id))]);
        var baseUrl = ApiResults.BaseUrl(http);
        return ApiResults.Json(http, new ApiArticle(a.Id, baseUrl + PublicUrls.Article(a.Id, a.Slug), a.Title, a.Subtitle, a.Summary,
            Channel(baseUrl, a.ChannelId, a.ChannelSlug, a.ChannelName), a.Tags.Select(t => Tag(baseUrl, t.Name)).ToList(),
            a.Source, a.ReprintedFrom, a.Author, ApiResults.Utc(a.PublishedAt), ApiResults.Utc(a.UpdatedAt),
            ApiResults.Absolute(baseUrl, a.Image), a.CoverImageAlt, ApiResults.KindName(a.Kind), ApiResults.Absolute(baseUrl, a.VideoUrl),
            a.CorrectionNote, ApiResults.AbsoluteLinks(baseUrl, a.BodyHtml)));
    }

    private static async Task<IResult> ListChannelsAsync(HttpContext http, PortalCache portal, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        var baseUrl = ApiResults.BaseUrl(http);
        var hidden = snapshot.Channels.Where(c => c.IsHidden).Select(c => c.Id).ToHashSet();
        var items = snapshot.Channels
            // A hidden channel and what lies under it are not in the site's navigation.
            .Where(c => !c.IsHidden && !(c.ParentId is { } p && hidden.Contains(p)))
            .Select(c => new ApiChannel(c.Id, c.Slug, c.Name, c.ParentId, baseUrl + PublicUrls.Channel(c.Slug),
                baseUrl + PublicUrls.ChannelFeed(c.Slug), $"{baseUrl}{Prefix}/articles?channel={Uri.EscapeDataString(c.Slug)}"))
            .ToList();
        return ApiResults.Json(http, new ApiChannelList(items));
    }

    private static async Task<IResult> ListTagsAsync(HttpContext http, NewsDbContext db, TimeProvider time, IOptions<ApiOptions> options,
        [Description("上一页返回的 nextCursor；第一页不填")] string? cursor,
        [Description("每页个数")] string? limit,
        CancellationToken ct)
    {
        if (ParseLimit(limit, options.Value) is not { } take)
        {
            return ApiResults.BadRequest("limit", $"limit 应为 1 到 {options.Value.MaxPageSize} 之间的整数。");
        }
        var afterId = 0;
        if (cursor is not null)
        {
            if (ApiCursor.Decode(cursor) is not { } c)
            {
                return ApiResults.BadRequest("cursor", "cursor 无效。请使用上一页返回的 nextCursor，不要自行构造。");
            }
            afterId = c.Id;
        }
        var visible = Article.VisibleAt(time.GetUtcNow().UtcDateTime);
        var rows = await db.Tags.AsNoTracking().Where(t => t.Id > afterId)
            .Select(t => new { t.Id, t.Name, Count = t.Articles.AsQueryable().Count(visible) })
            .Where(t => t.Count > 0)
            .OrderBy(t => t.Id).Take(take + 1).ToListAsync(ct);
        var baseUrl = ApiResults.BaseUrl(http);
        var more = rows.Count > take;
        var page = rows.Take(take).ToList();
        var nextCursor = more ? new ApiCursor(DateTime.UnixEpoch, page[^1].Id).Encode() : null;
        var items = page.Select(t => new ApiTag(t.Id, t.Name, baseUrl + PublicUrls.Tag(t.Name), t.Count,
            $"{baseUrl}{Prefix}/articles?tag={Uri.EscapeDataString(t.Name)}")).ToList();
        return ApiResults.Json(http, new ApiTagPage(items, NextUrl(http, TagKeys, nextCursor, "cursor"), nextCursor));
    }

    private static async Task<IResult> ListTopicsAsync(HttpContext http, PortalCache portal, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        var baseUrl = ApiResults.BaseUrl(http);
        var items = TopicCard.Ordered(snapshot.Topics).Select(t => new ApiTopicItem(t.Id, t.Slug, t.Title, t.Summary, baseUrl + t.Url,
            $"{baseUrl}{Prefix}/topics/{Uri.EscapeDataString(t.Slug)}", ApiResults.Absolute(baseUrl, t.BannerImageUrl),
            ApiResults.Utc(t.PublishedAt), ApiResults.Utc(t.UpdatedAt))).ToList();
        return ApiResults.Json(http, new ApiTopicList(items));
    }

    private static async Task<IResult> GetTopicAsync(HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time,
        [Description("专题标识")] string slug, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        if (await TopicPage.LoadAsync(db, snapshot, slug, time.GetUtcNow().UtcDateTime, ct) is not { } topic)
        {
            return ApiResults.NotFound($"没有标识为“{slug}”的已发布专题。");
        }
        var baseUrl = ApiResults.BaseUrl(http);
        var sections = topic.ShownSections.Select(s => new ApiTopicSection(s.Title, s.Items.Select(c => new ApiTopicArticle(c.Id,
            baseUrl + c.Url, $"{baseUrl}{Prefix}/articles/{c.Id}", c.Title, c.Summary, ApiResults.Utc(c.PublishedAt),
            ApiResults.Absolute(baseUrl, c.ImageUrl), ApiResults.KindName(c.Kind))).ToList())).ToList();
        var timeline = topic.Timeline.Select(e => new ApiTopicEvent(e.DateIso, e.Text, ApiResults.Absolute(baseUrl, e.ArticleUrl),
            e.ArticleId, e.ArticleId is { } linked ? $"{baseUrl}{Prefix}/articles/{linked}" : null)).ToList();
        return ApiResults.Json(http, new ApiTopic(topic.Id, topic.Slug, topic.Title, topic.Summary,
            ApiResults.AbsoluteLinks(baseUrl, topic.IntroductionHtml), baseUrl + topic.Url, ApiResults.Absolute(baseUrl, topic.BannerImageUrl),
            ApiResults.Utc(topic.PublishedAt), ApiResults.Utc(topic.UpdatedAt), sections, timeline));
    }

    private static async Task<IResult> SearchAsync(HttpContext http, ArticleSearch search,
        [Description("搜索词；支持 \"短语\" 和 -排除词")] string? q,
        [Description("栏目标识，含子栏目")] string? channel,
        [Description("类型：article、gallery 或 video")] string? kind,
        [Description("排序：不填按相关度，date 按时间从新到旧")] string? sort,
        [Description("页码，从 1 开始")] string? page,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return ApiResults.BadRequest("q", "请用 q 参数给出搜索词。");
        }
        if (kind is not null && ParseKind(kind) is null)
        {
            return ApiResults.BadRequest("kind", "kind 只能是 article、gallery 或 video。");
        }
        if (sort is not null and not "date")
        {
            return ApiResults.BadRequest("sort", "sort 只能不填（按相关度）或为 date（按时间）。");
        }
        var number = 1;
        if (page is not null && !(int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number >= 1))
        {
            return ApiResults.BadRequest("page", "page 应为从 1 开始的整数。");
        }
        var outcome = await search.RunAsync(new SearchForm { Q = q, Channel = channel, Kind = kind, Sort = sort, Page = page },
            SearchScope.Public, Prefix + "/search", ct);
        var baseUrl = ApiResults.BaseUrl(http);
        var items = outcome.Items.Select(i => new ApiSearchHit(i.Card.Id, baseUrl + i.Card.Url, $"{baseUrl}{Prefix}/articles/{i.Card.Id}",
            i.Card.Title, i.TitleHtml, i.SnippetHtml, Channel(baseUrl, i.Card.ChannelId, i.Card.ChannelSlug, i.Card.ChannelName),
            i.Source, i.Author, ApiResults.Utc(i.Card.PublishedAt), ApiResults.Absolute(baseUrl, i.Card.ImageUrl),
            ApiResults.KindName(i.Card.Kind))).ToList();
        var current = outcome.Paging?.Page ?? 1;
        if (number > current)
        {
            // The site's page shows the last page instead; a program counting pages must see the end, not page 1 again.
            items = [];
            current = number;
        }
        var next = outcome.Paging is { } paging && current < paging.TotalPages
            ? NextUrl(http, SearchKeys, (paging.Page + 1).ToString(CultureInfo.InvariantCulture), "page")
            : null;
        return ApiResults.Json(http, new ApiSearchPage(outcome.Form.Q ?? "", outcome.Total, outcome.TotalIsLowerBound, current, items, next,
            outcome.Notices));
    }

    private static ApiChannelRef Channel(string baseUrl, int id, string slug, string name) =>
        new(id, slug, name, baseUrl + PublicUrls.Channel(slug));

    private static ApiTagRef Tag(string baseUrl, string name) => new(name, baseUrl + PublicUrls.Tag(name));

    internal static ArticleKind? ParseKind(string value) => value switch
    {
        "article" => ArticleKind.Article,
        "gallery" => ArticleKind.Gallery,
        "video" => ArticleKind.Video,
        _ => null,
    };

    /// <summary>
    /// ISO 8601; without an offset it is China time, the time the site shows. A "+" of an offset not escaped in the URL
    /// arrives as a space; the offset's place tells it from a date and time written with a space.
    /// </summary>
    internal static DateTime? ParseSince(string value)
    {
        var text = UnescapedPlus().Replace(value.Trim(), "$1+$2");
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return null;
        }
        return parsed.Kind switch
        {
            DateTimeKind.Utc => parsed,
            DateTimeKind.Local => parsed.ToUniversalTime(),
            _ => parsed.Ticks < ChinaTime.Offset.Ticks ? DateTime.MinValue : DateTime.SpecifyKind(parsed - ChinaTime.Offset, DateTimeKind.Utc),
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(.*T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")]
    private static partial System.Text.RegularExpressions.Regex UnescapedPlus();

    internal static int? ParseLimit(string? value, ApiOptions options) =>
        value is null ? options.DefaultPageSize
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= options.MaxPageSize ? n
        : null;

    /// <summary>This request's address with <paramref name="key"/> set to <paramref name="value"/>; null when there is no next page.</summary>
    private static string? NextUrl(HttpContext http, string[] keys, string? value, string key)
    {
        if (value is null)
        {
            return null;
        }
        var query = keys.Where(k => k != key && http.Request.Query.ContainsKey(k))
            .Select(k => new KeyValuePair<string, string?>(k, http.Request.Query[k].ToString()))
            .Append(new(key, value));
        return QueryHelpers.AddQueryString(ApiResults.BaseUrl(http) + http.Request.Path, query);
    }
}
