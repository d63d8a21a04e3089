using System.ComponentModel;

namespace PovertyNews.Web.Api;

// What partners receive. Only what a reader of the site can see: no status, owner, editor, review or embargo fields.
// Times are UTC with their offset (ISO 8601); URLs are absolute, from the site's public address.

[Description("栏目（简要）")]
public sealed record ApiChannelRef(
    [property: Description("栏目 ID")] int Id,
    [property: Description("栏目标识，用于 channel 筛选")] string Slug,
    [property: Description("栏目名称")] string Name,
    [property: Description("栏目页地址")] string Url);

[Description("标签（简要）")]
public sealed record ApiTagRef(
    [property: Description("标签名称，用于 tag 筛选")] string Name,
    [property: Description("标签页地址")] string Url);

[Description("稿件列表中的一项")]
public sealed record ApiArticleItem(
    [property: Description("稿件 ID")] int Id,
    [property: Description("稿件在网站上的地址")] string Url,
    [property: Description("API 中的稿件地址（含正文）")] string ApiUrl,
    [property: Description("标题")] string Title,
    [property: Description("副标题")] string? Subtitle,
    [property: Description("摘要")] string Summary,
    [property: Description("所属栏目")] ApiChannelRef Channel,
    [property: Description("标签")] IReadOnlyList<ApiTagRef> Tags,
    [property: Description("来源；为空表示本站")] string? Source,
    [property: Description("转自")] string? ReprintedFrom,
    [property: Description("作者")] string? Author,
    [property: Description("发布时间（UTC，ISO 8601）")] DateTimeOffset PublishedAt,
    [property: Description("最后更新时间（UTC，ISO 8601）")] DateTimeOffset UpdatedAt,
    [property: Description("封面图绝对地址；视频为封面帧")] string? CoverImageUrl,
    [property: Description("类型：article（文章）、gallery（图集）、video（视频）")] string Kind);

[Description("一篇稿件及其正文")]
public sealed record ApiArticle(
    [property: Description("稿件 ID")] int Id,
    [property: Description("稿件在网站上的地址")] string Url,
    [property: Description("标题")] string Title,
    [property: Description("副标题")] string? Subtitle,
    [property: Description("摘要")] string Summary,
    [property: Description("所属栏目")] ApiChannelRef Channel,
    [property: Description("标签")] IReadOnlyList<ApiTagRef> Tags,
    [property: Description("来源；为空表示本站")] string? Source,
    [property: Description("转自")] string? ReprintedFrom,
    [property: Description("作者")] string? Author,
    [property: Description("发布时间（UTC，ISO 8601）")] DateTimeOffset PublishedAt,
    [property: Description("最后更新时间（UTC，ISO 8601）")] DateTimeOffset UpdatedAt,
    [property: Description("封面图绝对地址")] string? CoverImageUrl,
    [property: Description("封面图说明")] string? CoverImageAlt,
    [property: Description("类型：article、gallery、video")] string Kind,
    [property: Description("视频地址（仅视频）")] string? VideoUrl,
    [property: Description("更正说明（如有）")] string? CorrectionNote,
    [property: Description("正文 HTML（已净化；图片等地址为绝对地址）")] string BodyHtml);

[Description("一页稿件")]
public sealed record ApiArticlePage(
    [property: Description("本页稿件，按发布时间从新到旧")] IReadOnlyList<ApiArticleItem> Items,
    [property: Description("下一页的完整地址；没有更多时为 null")] string? Next,
    [property: Description("下一页的游标（即 next 中的 cursor 参数）")] string? NextCursor);

[Description("栏目")]
public sealed record ApiChannel(
    [property: Description("栏目 ID")] int Id,
    [property: Description("栏目标识，用于 channel 筛选")] string Slug,
    [property: Description("栏目名称")] string Name,
    [property: Description("上级栏目 ID；顶级栏目为 null")] int? ParentId,
    [property: Description("栏目页地址")] string Url,
    [property: Description("栏目 RSS 地址")] string FeedUrl,
    [property: Description("API 中本栏目稿件列表的地址")] string ArticlesUrl);

[Description("栏目列表（按导航顺序）")]
public sealed record ApiChannelList([property: Description("全部公开栏目")] IReadOnlyList<ApiChannel> Items);

[Description("标签")]
public sealed record ApiTag(
    [property: Description("标签 ID")] int Id,
    [property: Description("标签名称，用于 tag 筛选")] string Name,
    [property: Description("标签页地址")] string Url,
    [property: Description("带这个标签的公开稿件数")] int ArticleCount,
    [property: Description("API 中带这个标签的稿件列表地址")] string ArticlesUrl);

[Description("一页标签（至少有一篇公开稿件的标签，按 ID）")]
public sealed record ApiTagPage(
    [property: Description("本页标签")] IReadOnlyList<ApiTag> Items,
    [property: Description("下一页的完整地址；没有更多时为 null")] string? Next,
    [property: Description("下一页的游标")] string? NextCursor);

[Description("专题（简要）")]
public sealed record ApiTopicItem(
    [property: Description("专题 ID")] int Id,
    [property: Description("专题标识")] string Slug,
    [property: Description("标题")] string Title,
    [property: Description("简介（纯文本）")] string Summary,
    [property: Description("专题页地址")] string Url,
    [property: Description("API 中本专题的地址")] string ApiUrl,
    [property: Description("题图绝对地址")] string? BannerImageUrl,
    [property: Description("发布时间（UTC）")] DateTimeOffset PublishedAt,
    [property: Description("最后更新时间（UTC）")] DateTimeOffset UpdatedAt);

[Description("专题列表（按编辑排序）")]
public sealed record ApiTopicList([property: Description("全部已发布专题")] IReadOnlyList<ApiTopicItem> Items);

[Description("专题中的一篇稿件")]
public sealed record ApiTopicArticle(
    [property: Description("稿件 ID")] int Id,
    [property: Description("稿件地址")] string Url,
    [property: Description("API 中的稿件地址")] string ApiUrl,
    [property: Description("标题")] string Title,
    [property: Description("摘要")] string Summary,
    [property: Description("发布时间（UTC）")] DateTimeOffset PublishedAt,
    [property: Description("封面图绝对地址")] string? CoverImageUrl,
    [property: Description("类型")] string Kind);

[Description("专题的一个板块")]
public sealed record ApiTopicSection(
    [property: Description("板块标题")] string Title,
    [property: Description("板块中的稿件")] IReadOnlyList<ApiTopicArticle> Articles);

[Description("大事记中的一条")]
public sealed record ApiTopicEvent(
    [property: Description("日期（yyyy-MM-dd，北京时间）")] string Date,
    [property: Description("事件")] string Text,
    [property: Description("相关稿件的网页地址（如有，且稿件公开）")] string? ArticleUrl,
    [property: Description("相关稿件的 ID（如有，且稿件公开）")] int? ArticleId,
    [property: Description("相关稿件的接口地址（如有，且稿件公开）")] string? ApiUrl);

[Description("一个专题及其板块和大事记")]
public sealed record ApiTopic(
    [property: Description("专题 ID")] int Id,
    [property: Description("专题标识")] string Slug,
    [property: Description("标题")] string Title,
    [property: Description("简介（纯文本）")] string Summary,
    [property: Description("导语 HTML")] string IntroductionHtml,
    [property: Description("专题页地址")] string Url,
    [property: Description("题图绝对地址")] string? BannerImageUrl,
    [property: Description("发布时间（UTC）")] DateTimeOffset PublishedAt,
    [property: Description("最后更新时间（UTC）")] DateTimeOffset UpdatedAt,
    [property: Description("有内容的板块")] IReadOnlyList<ApiTopicSection> Sections,
    [property: Description("大事记")] IReadOnlyList<ApiTopicEvent> Timeline);

[Description("搜索结果中的一项")]
public sealed record ApiSearchHit(
    [property: Description("稿件 ID")] int Id,
    [property: Description("稿件地址")] string Url,
    [property: Description("API 中的稿件地址")] string ApiUrl,
    [property: Description("标题")] string Title,
    [property: Description("标题 HTML，命中的词在 <mark> 中")] string TitleHtml,
    [property: Description("正文摘录 HTML，命中的词在 <mark> 中")] string SnippetHtml,
    [property: Description("所属栏目")] ApiChannelRef Channel,
    [property: Description("来源")] string? Source,
    [property: Description("作者")] string? Author,
    [property: Description("发布时间（UTC）")] DateTimeOffset PublishedAt,
    [property: Description("封面图绝对地址")] string? CoverImageUrl,
    [property: Description("类型")] string Kind);

[Description("一页搜索结果")]
public sealed record ApiSearchPage(
    [property: Description("实际查找的词（可能经过截断或清理）")] string Query,
    [property: Description("命中总数（totalIsLowerBound 为 true 时表示至少这么多）")] int Total,
    [property: Description("总数是否只是下限")] bool TotalIsLowerBound,
    [property: Description("当前页码，从 1 开始")] int Page,
    [property: Description("本页结果，按相关度或时间")] IReadOnlyList<ApiSearchHit> Items,
    [property: Description("下一页的完整地址；没有更多时为 null")] string? Next,
    [property: Description("对查询的说明（如忽略的条件）")] IReadOnlyList<string> Notices);
