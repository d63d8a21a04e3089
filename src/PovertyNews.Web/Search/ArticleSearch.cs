using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Search;

/// <summary>The search form as it arrives in the query string; every value is checked before use.</summary>
public sealed class SearchForm
{
    public string? Q { get; set; }
    public string? Channel { get; set; }
    public string? Source { get; set; }
    public string? Author { get; set; }
    public string? Kind { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Sort { get; set; }
    public string? Status { get; set; }
    public string? Page { get; set; }

    public SearchForm Copy() => (SearchForm)MemberwiseClone();

    /// <summary>
    /// The reader's form from the query string, read with <see cref="ReaderQuery"/> as the output cache reads its key
    /// (no binding prefix, first value of each field), so a cached search is the search its key names.
    /// </summary>
    public static SearchForm FromQuery(IQueryCollection query) => new()
    {
        Q = ReaderQuery.Value(query, "q"),
        Channel = ReaderQuery.Value(query, "channel"),
        Kind = ReaderQuery.Value(query, "kind"),
        Source = ReaderQuery.Value(query, "source"),
        Author = ReaderQuery.Value(query, "author"),
        From = ReaderQuery.Value(query, "from"),
        To = ReaderQuery.Value(query, "to"),
        Sort = ReaderQuery.Value(query, "sort"),
        Page = ReaderQuery.Value(query, ReaderQuery.PageKey),
    };

    /// <summary>The query string for this form, leaving out empty values and page 1.</summary>
    public string ToUrl(string path)
    {
        var values = new Dictionary<string, string?>
        {
            ["q"] = Q, ["channel"] = Channel, ["kind"] = Kind, ["source"] = Source, ["author"] = Author,
            ["from"] = From, ["to"] = To, ["sort"] = Sort, ["status"] = Status, ["page"] = Page is "1" ? null : Page,
        };
        return QueryHelpers.AddQueryString(path, values.Where(v => !string.IsNullOrWhiteSpace(v.Value)));
    }
}

public sealed record SearchResultItem(
    ArticleCard Card, string TitleHtml, string SnippetHtml, ArticleStatus Status, string? Source, string? Author, DateTime UpdatedAt);

public sealed record SearchSuggestion(string Label, string Url);

/// <summary>What a search page shows: the cleaned form, notices about anything ignored, the hits and the pager.</summary>
public sealed class SearchOutcome
{
    public required SearchForm Form { get; init; }
    public SearchQuery Query { get; set; } = SearchQuery.Empty;
    public List<string> Notices { get; } = [];
    public bool Searched { get; set; }
    public int Total { get; set; }
    public bool TotalIsLowerBound { get; set; }
    public bool RankedNewestOnly { get; set; }
    public int RankingWindow { get; set; }
    public IReadOnlyList<SearchResultItem> Items { get; set; } = [];
    public Paging? Paging { get; set; }
    public List<SearchSuggestion> Suggestions { get; } = [];
    public bool SortByDate => Form.Sort == "date";
}

/// <summary>
/// Runs a search from a form for readers or staff: validates the filters into a <see cref="SearchRequest"/>, asks
/// the index for a page of ids, loads those articles and marks the matches.
/// </summary>
public sealed class ArticleSearch(NewsDbContext db, ISearchIndex index, IChannelDirectory channels, TimeProvider time, IOptions<SearchOptions> options,
    ILogger<ArticleSearch> logger, SearchMetrics metrics, SynonymCache synonyms)
{
    public SearchOptions Options => options.Value;

    /// <param name="path">The page's path, for pager and suggestion links.</param>
    /// <param name="statuses">Staff: the status filter already resolved by the page.</param>
    /// <param name="ownerOnly">Staff without editorial rights: limit unpublished hits to this owner's.</param>
    public async Task<SearchOutcome> RunAsync(SearchForm input, SearchScope scope, string path, CancellationToken ct,
        IReadOnlyList<ArticleStatus>? statuses = null, string? ownerOnly = null)
    {
        var (request, outcome) = await PrepareAsync(input, scope, ct, statuses, ownerOnly);
        if (request is null)
        {
            return outcome;
        }
        var started = time.GetTimestamp();
        var settings = options.Value;
        var requestedPage = ReaderQuery.ParsePage(input.Page);
        if (requestedPage > settings.MaxPages)
        {
            outcome.Notices.Add($"最多显示前 {settings.MaxPages} 页结果；请加上筛选条件或按时间排序查看更多。");
            requestedPage = settings.MaxPages;
        }

        var hits = await index.SearchAsync(db, request with { Skip = (requestedPage - 1) * settings.PageSize, Take = settings.PageSize }, ct);
        // Relevance order exists only for the ranked candidates; past them, the date sort goes on.
        var reachable = Math.Min(hits.RankedNewestOnly ? hits.RankingWindow : hits.Total, settings.MaxPages * settings.PageSize);
        var paging = new Paging(requestedPage, settings.PageSize, reachable, "", ShowTotal: !hits.TotalIsLowerBound && reachable == hits.Total);
        if (hits.Total > 0 && paging.IsBeyondEnd)
        {
            paging = paging with { Page = paging.TotalPages };
            hits = await index.SearchAsync(db, request with { Skip = paging.Skip, Take = settings.PageSize }, ct);
        }
        var form = outcome.Form.Copy();
        form.Page = null;
        outcome.Paging = paging with { BasePath = form.ToUrl(path) };
        outcome.Total = hits.Total;
        outcome.TotalIsLowerBound = hits.TotalIsLowerBound;
        outcome.RankedNewestOnly = hits.RankedNewestOnly;
        outcome.RankingWindow = hits.RankingWindow;
        outcome.Items = await LoadAsync(hits.ArticleIds, outcome.Query, ct);
        if (hits.Total == 0)
        {
            Suggest(outcome, path);
        }
        // Debug: anyone can search, so at Information the queries would be most of the log and anyone could add to it.
        logger.LogDebug("Search {Scope} {Query} found {Total} (page {Page})", scope, outcome.Query.Text, hits.Total, paging.Page);
        metrics.Record(time.GetElapsedTime(started), scope);
        return outcome;
    }

    /// <summary>Every hit of the search (up to the export limit), in the page's order, for the CSV export.</summary>
    public async Task<(SearchOutcome Outcome, IReadOnlyList<SearchResultItem> Items)> ExportAsync(SearchForm input,
        IReadOnlyList<ArticleStatus>? statuses, string? ownerOnly, CancellationToken ct)
    {
        var (request, outcome) = await PrepareAsync(input, SearchScope.Staff, ct, statuses, ownerOnly);
        if (request is null)
        {
            return (outcome, []);
        }
        var hits = await index.SearchAsync(db, request with { Skip = 0, Take = options.Value.ExportLimit }, ct);
        var items = new List<SearchResultItem>();
        foreach (var chunk in hits.ArticleIds.Chunk(500))
        {
            items.AddRange(await LoadAsync(chunk, outcome.Query, ct, withSnippets: false));
        }
        outcome.Total = hits.Total;
        return (outcome, items);
    }

    /// <summary>
    /// The staff search's request for <paramref name="input"/>, read exactly as <see cref="RunAsync"/> reads it; null
    /// when it searches nothing (no words).
    /// </summary>
    public async Task<SearchRequest?> StaffRequestAsync(SearchForm input, IReadOnlyList<ArticleStatus>? statuses, string? ownerOnly,
        CancellationToken ct) => (await PrepareAsync(input, SearchScope.Staff, ct, statuses, ownerOnly)).Request;

    private async Task<(SearchRequest? Request, SearchOutcome Outcome)> PrepareAsync(SearchForm input, SearchScope scope,
        CancellationToken ct, IReadOnlyList<ArticleStatus>? statuses, string? ownerOnly)
    {
        var settings = options.Value;
        var form = new SearchForm { Status = input.Status, Page = input.Page };
        var outcome = new SearchOutcome { Form = form };

        var q = Clean(input.Q, 10_000).Trim();
        if (q.Length > settings.MaxQueryLength)
        {
            outcome.Notices.Add($"搜索词过长，只按前 {settings.MaxQueryLength} 个字查找。");
            q = q[..settings.MaxQueryLength];
        }
        form.Q = q;
        outcome.Query = SearchQueryParser.Parse(q);
        outcome.Notices.AddRange(outcome.Query.Notices);
        if (!outcome.Query.IsEmpty)
        {
            outcome.Query = (await synonyms.GetAsync(db, ct)).Expand(outcome.Query);
        }

        int? channelId = null;
        if (!string.IsNullOrWhiteSpace(input.Channel))
        {
            // An old slug (from a bookmarked search) finds the channel it was renamed to.
            var wanted = input.Channel.Trim();
            if (await channels.FindAsync(wanted, ct) is { } channel && (scope == SearchScope.Staff || !channel.IsHidden))
            {
                form.Channel = channel.Slug;
                channelId = channel.Id;
            }
            else
            {
                outcome.Notices.Add("没有这个栏目，已在全部栏目中查找。");
            }
        }
        form.Source = NullIfEmpty(Clean(input.Source, 100));
        form.Author = NullIfEmpty(Clean(input.Author, 100));
        ArticleKind? kind = input.Kind switch { "article" => ArticleKind.Article, "video" => ArticleKind.Video, "gallery" => ArticleKind.Gallery, _ => null };
        form.Kind = kind is null ? null : input.Kind;
        form.Sort = input.Sort == "date" ? "date" : null;

        var from = ParseDate(input.From, "起始日期", outcome.Notices);
        var to = ParseDate(input.To, "截止日期", outcome.Notices);
        if (from is { } f && to is { } t && f > t)
        {
            (from, to) = (to, from);
            outcome.Notices.Add("起始日期晚于截止日期，已对调。");
        }
        form.From = from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        form.To = to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        if (q.Length == 0)
        {
            return (null, outcome);
        }
        if (outcome.Query.IsEmpty)
        {
            outcome.Notices.Add(outcome.Query.Clauses.Count > 0
                ? "只有要排除的词。请至少输入一个要查找的词。"
                : "搜索词里没有可以查找的文字或数字。");
            return (null, outcome);
        }
        outcome.Searched = true;

        var request = new SearchRequest
        {
            Query = outcome.Query,
            Scope = scope,
            Now = time.GetUtcNow().UtcDateTime,
            ChannelId = channelId,
            Source = form.Source,
            Author = form.Author,
            Kind = kind,
            From = from is { } start ? ChinaTime.StartOfDayUtc(start) : null,
            Until = to is { } end ? ChinaTime.StartOfDayUtc(end.AddDays(1)) : null,
            Statuses = statuses,
            OnlyVisibleOrOwnedBy = ownerOnly,
            Sort = form.Sort == "date" ? SearchSort.Newest : SearchSort.Relevance,
        };
        return (request, outcome);
    }

    private async Task<IReadOnlyList<SearchResultItem>> LoadAsync(IReadOnlyList<int> ids, SearchQuery query, CancellationToken ct,
        bool withSnippets = true)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        // One parameter per id, not the JSON list: SQLite then looks the ids up by key instead of scanning an index.
        // Not constants either: the SQL would differ with every page of hits, and EF would compile it again each time
        // (MultipleParameters pads the list, so a page of hits is always the same statement).
        var rows = await db.Articles.AsNoTracking().Where(a => EF.MultipleParameters(ids).Contains(a.Id))
            .Select(a => new
            {
                a.Id, a.Slug, a.Title, a.Summary, BodyHtml = withSnippets ? a.BodyHtml : "", a.PublishedAt, a.CreatedAt, a.UpdatedAt,
                a.ChannelId, ChannelName = a.Channel!.Name, ChannelSlug = a.Channel.Slug, a.Kind,
                Image = a.Kind == ArticleKind.Video ? a.VideoPosterUrl ?? a.CoverImageUrl : a.CoverImageUrl,
                ImageAlt = a.CoverImageAlt ?? a.Title, a.Status, a.Source, a.Author,
            })
            .ToDictionaryAsync(a => a.Id, ct);
        var terms = query.PositiveTerms.ToList();
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).Select(a => new SearchResultItem(
            new ArticleCard(a.Id, a.Slug, a.Title, a.Summary, a.PublishedAt ?? a.CreatedAt, a.ChannelId, a.ChannelName, a.ChannelSlug,
                a.Kind, a.Image, a.ImageAlt),
            withSnippets ? Highlighter.Highlight(a.Title, terms) : "",
            withSnippets ? Highlighter.Snippet(a.Summary + "\n" + HtmlText.ToText(a.BodyHtml), terms) : "",
            a.Status, a.Source, a.Author, a.UpdatedAt)).ToList();
    }

    /// <summary>Ways out of an empty result: fewer words, no quotes, no filter.</summary>
    private static void Suggest(SearchOutcome outcome, string path)
    {
        var form = outcome.Form;
        var positives = outcome.Query.Clauses.Where(c => !c.Exclude).ToList();
        if (positives.Count > 1)
        {
            foreach (var clause in positives.Take(4))
            {
                var single = form.Copy();
                single.Q = clause.Alternatives[0].Text;
                single.Page = null;
                outcome.Suggestions.Add(new($"只搜“{single.Q}”", single.ToUrl(path)));
            }
        }
        if (form.Q is { } q && (q.Contains('"') || q.Contains('“')))
        {
            var unquoted = form.Copy();
            unquoted.Q = q.Replace("\"", " ").Replace("“", " ").Replace("”", " ").Trim();
            unquoted.Page = null;
            outcome.Suggestions.Add(new("不加引号，分词查找", unquoted.ToUrl(path)));
        }
        void Without(string label, Action<SearchForm> clear, bool active)
        {
            if (active)
            {
                var wider = form.Copy();
                clear(wider);
                wider.Page = null;
                outcome.Suggestions.Add(new(label, wider.ToUrl(path)));
            }
        }
        Without("在全部栏目中查找", f => f.Channel = null, form.Channel is not null);
        Without("不限来源", f => f.Source = null, form.Source is not null);
        Without("不限作者", f => f.Author = null, form.Author is not null);
        Without("不限类型", f => f.Kind = null, form.Kind is not null);
        Without("不限日期", f => (f.From, f.To) = (null, null), form.From is not null || form.To is not null);
        Without("不限状态", f => f.Status = null, form.Status is not null);
    }

    private static DateOnly? ParseDate(string? value, string label, List<string> notices)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = Clean(value, 40).Trim();
        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var date) && date.Year is >= 1949 and <= 2200)
        {
            return date;
        }
        notices.Add($"{label}“{text}”无法识别，应写作 2024-01-31，已忽略。");
        return null;
    }

    private static string Clean(string? value, int max)
    {
        var text = value ?? "";
        if (text.Length > max)
        {
            text = text[..max];
        }
        return new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>What the shared search form needs.</summary>
public sealed record SearchFormView(SearchForm Form, IReadOnlyList<ChannelLink> Channels, int MaxQueryLength, string Action, bool Staff);
