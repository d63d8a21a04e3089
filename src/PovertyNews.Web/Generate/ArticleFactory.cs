using System.Net;
using System.Text;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Generate;

/// <summary>One generated article, as the rows to insert (the article and its tag links).</summary>
public sealed class GeneratedArticle
{
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public required string Summary { get; init; }
    public required string BodyMarkdown { get; init; }
    public required string BodyHtml { get; init; }
    public int ChannelId { get; init; }
    public string? Source { get; init; }
    public string? ReprintedFrom { get; init; }
    public required string Author { get; init; }
    public required string ResponsibleEditor { get; init; }
    public string? CoverImageUrl { get; init; }
    public string? CoverImageAlt { get; init; }
    public ArticleKind Kind { get; init; }
    public string? VideoUrl { get; init; }
    public string? VideoPosterUrl { get; init; }
    public ArticleStatus Status { get; init; }
    public DateTime? PublishedAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public long ViewCount { get; init; }
    public int ReviewLevel { get; init; }
    public string? WithdrawalReason { get; init; }
    public DateTime? WithdrawnAt { get; init; }
    public Guid Version { get; init; }
    public required int[] TagIds { get; init; }
}

/// <summary>What generated articles are spread over: the site's channels and tags, and a span of time.</summary>
/// <param name="ArticleChannelIds">Channels for ordinary articles.</param>
/// <param name="VideoChannelIds">Channels for videos; the article channels when the site has no video channel.</param>
/// <param name="TagIds">Existing tags, some of which each article gets.</param>
/// <param name="From">UTC start of the publication span; articles are spread evenly up to <paramref name="To"/>.</param>
public sealed record GenerationScope(
    IReadOnlyList<int> ArticleChannelIds,
    IReadOnlyList<int> VideoChannelIds,
    IReadOnlyList<int> TagIds,
    DateTime From,
    DateTime To);

/// <summary>
/// Makes article number <c>n</c> of a seed. Each article draws from its own <see cref="FastRandom"/>, seeded from the
/// seed and its number, so an article is the same whichever thread makes it and however many came before it in
/// this run: a second run with the same seed continues the numbering with new articles instead of repeats.
/// </summary>
/// <remarks>
/// The publication time is the exception: article <c>i</c> of a run of <c>N</c> lands in the i-th of N equal
/// slices of the span, so a run covers the span evenly and, as on a real site, later numbers are newer.
/// One instance per thread: it reuses its buffers.
/// </remarks>
public sealed class ArticleFactory(MarkovText text, SampleText sample, GenerationScope scope, int seed)
{
    public const int MinTitleLength = 12;
    public const int MaxTitleLength = 30;
    public const int MinSummaryLength = 40;
    public const int MaxSummaryLength = 90;
    public const int MinBodyLength = 400;
    public const int MaxBodyLength = 1200;
    public const int MinParagraphs = 3;
    public const int MaxParagraphs = 8;
    public const int MaxTags = 3;
    private const int MaxSentenceLength = 120;

    // Generic bylines and desks only: a generated report must not be signed by an invented person.
    private static readonly string[] Authors =
        ["本网记者", "本网综合", "本网通讯员", "通讯员", "特约通讯员", "湘西融媒体中心", "记者站", "本网评论员"];
    private static readonly string[] Editors = ["本网编辑部", "值班编辑", "新闻中心", "融媒体编辑部"];

    // null is the site itself (the article page then shows the site's name as 来源).
    private static readonly string?[] Sources =
        [null, null, null, "新湖南客户端", "湘西日报", "济南日报", "团结报", "人民网", "新华网", "湖南日报"];

    private static readonly string[] WithdrawalReasons =
    [
        "经核实，稿件部分内容与事实不符，予以撤回。",
        "应来源单位要求撤回。",
        "稿件重复发布，予以撤回。",
    ];

    private readonly StringBuilder _scratch = new(256);
    private readonly StringBuilder _markdown = new(4096);
    private readonly StringBuilder _html = new(4096);
    private readonly int[] _paragraphEnds = new int[MaxParagraphs];

    public static string Slug(int seed, int number) => $"gen-{seed}-{number}";

    /// <param name="number">The article's number in the seed's sequence (its slug).</param>
    /// <param name="index">Its position in this run, 0 ≤ index &lt; <paramref name="count"/>.</param>
    /// <param name="count">Articles in this run.</param>
    public GeneratedArticle Create(int number, int index, int count)
    {
        var random = new FastRandom(seed, number);

        var slice = (scope.To - scope.From).Ticks / (double)count;
        var time = scope.From.AddTicks((long)(slice * (index + random.NextDouble())));
        time = new DateTime(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

        var roll = random.Next(100);
        var status = roll switch
        {
            < 3 => ArticleStatus.Draft,
            < 5 => ArticleStatus.InReview,
            < 7 => ArticleStatus.Withdrawn,
            _ => ArticleStatus.Published,
        };
        var isVideo = random.Next(100) < 3;
        var channels = isVideo ? scope.VideoChannelIds : scope.ArticleChannelIds;
        var source = Sources[random.Next(Sources.Length)];
        var cover = !isVideo && sample.Covers.Count > 0 && random.Next(4) == 0 ? sample.Covers[random.Next(sample.Covers.Count)] : null;
        var withdrawnAt = status == ArticleStatus.Withdrawn ? Min(time.AddMinutes(random.Next(30, 4320)), scope.To) : (DateTime?)null;

        return new GeneratedArticle
        {
            Slug = Slug(seed, number),
            Title = Title(random),
            Summary = Summary(random),
            BodyMarkdown = Body(random, out var html),
            BodyHtml = html,
            ChannelId = channels[random.Next(channels.Count)],
            Source = source,
            // Reports taken over from another outlet say so (转自) about a third of the time.
            ReprintedFrom = source is not null && random.Next(3) == 0 ? source : null,
            Author = Authors[random.Next(Authors.Length)],
            ResponsibleEditor = Editors[random.Next(Editors.Length)],
            CoverImageUrl = cover?.Url,
            CoverImageAlt = cover?.Alt,
            Kind = isVideo ? ArticleKind.Video : ArticleKind.Article,
            VideoUrl = isVideo ? $"https://media.example.com/videos/{Slug(seed, number)}.mp4" : null,
            VideoPosterUrl = isVideo && sample.VideoPosters.Count > 0 ? sample.VideoPosters[random.Next(sample.VideoPosters.Count)] : null,
            Status = status,
            PublishedAt = status is ArticleStatus.Published or ArticleStatus.Withdrawn ? time : null,
            CreatedAt = time,
            UpdatedAt = withdrawnAt ?? time,
            ViewCount = status is ArticleStatus.Published or ArticleStatus.Withdrawn ? Views(random) : 0,
            // In review means the first level has passed and a higher one is still to come.
            ReviewLevel = status == ArticleStatus.InReview ? 1 : 0,
            WithdrawalReason = withdrawnAt is null ? null : WithdrawalReasons[random.Next(WithdrawalReasons.Length)],
            WithdrawnAt = withdrawnAt,
            Version = NewGuid(random),
            TagIds = Tags(random),
        };
    }

    /// <summary>
    /// One or two opening clauses, joined by a space as Chinese headlines are ("A B"), without the trailing
    /// punctuation; 12–30 characters.
    /// </summary>
    internal string Title(FastRandom random)
    {
        var title = _scratch.Clear();
        for (var attempt = 0; attempt < 40; attempt++)
        {
            title.Clear();
            if (!AppendTitleClause(random, title, MaxTitleLength))
            {
                continue;
            }
            if (title.Length < MinTitleLength && (!AppendTitleClauseAfterSpace(random, title) || title.Length < MinTitleLength))
            {
                continue;
            }
            return title.ToString();
        }
        // Practically unreachable with the sample content; keeps the length promise with a tiny corpus too.
        return Pad(title, MinTitleLength, MaxTitleLength, "扶贫协作工作稳步推进");
    }

    private bool AppendTitleClauseAfterSpace(FastRandom random, StringBuilder title)
    {
        var start = title.Length;
        title.Append(' ');
        if (AppendTitleClause(random, title, MaxTitleLength - title.Length))
        {
            return true;
        }
        title.Length = start;
        return false;
    }

    private bool AppendTitleClause(FastRandom random, StringBuilder title, int maxLength)
    {
        var start = title.Length;
        var length = text.AppendClause(random, title, maxLength + 1);
        // A headline starts with a word, not with a date ("6月21日"), and is at least a short phrase.
        if (length < 5 || char.IsAsciiDigit(title[start]))
        {
            title.Length = start;
            return false;
        }
        title.Length--; // the clause's punctuation
        return true;
    }

    /// <summary>Whole sentences, 40–90 characters; a sentence too long is cut at a clause and closed with 。.</summary>
    internal string Summary(FastRandom random)
    {
        var summary = _scratch.Clear();
        for (var attempt = 0; attempt < 40; attempt++)
        {
            summary.Clear();
            while (summary.Length < MinSummaryLength)
            {
                if (text.AppendSentence(random, summary, MaxSentenceLength) == 0)
                {
                    break;
                }
            }
            if (summary.Length < MinSummaryLength)
            {
                continue;
            }
            if (summary.Length <= MaxSummaryLength)
            {
                return summary.ToString();
            }
            for (var i = MaxSummaryLength - 2; i >= MinSummaryLength - 1; i--)
            {
                if (MarkovText.IsClauseEnd(summary[i]))
                {
                    summary.Length = i;
                    return summary.Append('。').ToString();
                }
            }
        }
        return Pad(summary, MinSummaryLength - 1, MaxSummaryLength - 1, "东西部扶贫协作各项工作有序推进") + "。";
    }

    /// <summary>
    /// 3–8 paragraphs of whole sentences, 400–1,200 characters in all (shorter bodies are likelier, which keeps a
    /// million articles to a few GB). Returns the Markdown and, in <paramref name="html"/>, the HTML the renderer
    /// would make of it: one encoded &lt;p&gt; per paragraph. Built directly, because rendering Markdown is far too
    /// slow for tens of thousands of articles a second.
    /// </summary>
    internal string Body(FastRandom random, out string html)
    {
        var paragraphs = random.Next(MinParagraphs, MaxParagraphs + 1);
        var u = random.NextDouble();
        var target = MinBodyLength + (int)((MaxBodyLength - MinBodyLength) * u * u);
        var markdown = _markdown.Clear();
        var written = 0;
        var produced = 0;
        for (var p = 0; p < paragraphs; p++)
        {
            var paragraphStart = markdown.Length;
            if (produced > 0)
            {
                markdown.Append("\n\n");
            }
            var paragraphTarget = (target - written) / (paragraphs - p);
            var paragraphLength = 0;
            // At least one sentence a paragraph, and never past the maximum: a paragraph with no room left is dropped.
            for (var attempt = 0; attempt < 60 && (paragraphLength == 0 || (paragraphLength < paragraphTarget && written < target)); attempt++)
            {
                var added = text.AppendSentence(random, markdown, Math.Min(MaxSentenceLength, MaxBodyLength - written));
                paragraphLength += added;
                written += added;
            }
            if (paragraphLength == 0)
            {
                markdown.Length = paragraphStart;
                continue;
            }
            _paragraphEnds[produced++] = markdown.Length;
        }
        // A short draw can leave the body under the minimum: lengthen the last paragraph.
        for (var attempt = 0; (written < MinBodyLength || produced == 0) && attempt < 100; attempt++)
        {
            if (produced == 0)
            {
                produced = 1;
            }
            written += text.AppendSentence(random, markdown, Math.Min(MaxSentenceLength, MaxBodyLength - written));
            _paragraphEnds[produced - 1] = markdown.Length;
        }

        var result = markdown.ToString();
        var htmlText = _html.Clear();
        var from = 0;
        for (var p = 0; p < produced; p++)
        {
            htmlText.Append("<p>").Append(WebUtility.HtmlEncode(result[from.._paragraphEnds[p]])).Append("</p>\n");
            from = _paragraphEnds[p] + 2;
        }
        html = htmlText.ToString();
        return result;
    }

    private int[] Tags(FastRandom random)
    {
        if (scope.TagIds.Count == 0)
        {
            return [];
        }
        var count = Math.Min(scope.TagIds.Count, random.Next(100) switch { < 20 => 0, < 50 => 1, < 80 => 2, _ => MaxTags });
        var tags = new int[count];
        for (var i = 0; i < count; i++)
        {
            int tag;
            do
            {
                tag = scope.TagIds[random.Next(scope.TagIds.Count)];
            }
            while (Array.IndexOf(tags, tag, 0, i) >= 0);
            tags[i] = tag;
        }
        return tags;
    }

    /// <summary>Log-normal: most reports are read a few dozen times, a few tens of thousands.</summary>
    private static long Views(FastRandom random)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return (long)Math.Exp(3.5 + 1.6 * normal);
    }

    private static Guid NewGuid(FastRandom random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static string Pad(StringBuilder text, int min, int max, string filler)
    {
        while (text.Length < min)
        {
            text.Append(filler);
        }
        if (text.Length > max)
        {
            text.Length = max;
        }
        return text.ToString();
    }
}
