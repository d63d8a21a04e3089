namespace PovertyNews.Web.Domain;

/// <summary>One line of the audit log: who did what to what, when, from where.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";

    /// <summary>A stable code such as <c>signin.failed</c> or <c>article.pass</c>; see <see cref="AuditActions"/>.</summary>
    public string Action { get; set; } = "";

    /// <summary>What was acted on, e.g. <c>article:42</c> or <c>user:zhang@example.com</c>.</summary>
    public string? Target { get; set; }

    public string? Details { get; set; }
    public string? ClientAddress { get; set; }

    /// <summary>
    /// Position in the hash chain: 1, 2, 3, … without gaps, assigned at save time inside the writing transaction
    /// (<c>Common/AuditChain.cs</c>). Unlike <see cref="Id"/>, it is part of the hashed content.
    /// </summary>
    public long Sequence { get; set; }

    /// <summary>The <see cref="Hash"/> of the entry before this one (or of the anchor, or <see cref="AuditHash.Genesis"/>).</summary>
    public string? PreviousHash { get; set; }

    /// <summary>SHA-256 of <see cref="AuditHash.Canonical"/>, lower-case hex; null only before the chain is sealed.</summary>
    public string? Hash { get; set; }
}

/// <summary>
/// Where the chain starts after old entries were pruned: the sequence and hash of the last entry removed, so the
/// first entry kept still links to something recorded. One row per pruning run; the highest sequence is the anchor.
/// </summary>
public class AuditAnchor
{
    public int Id { get; set; }
    public long Sequence { get; set; }
    public string Hash { get; set; } = "";
    public DateTime PrunedAt { get; set; }
    public int PrunedCount { get; set; }
}

public static class AuditActions
{
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string SignInLockedOut = "signin.lockedout";
    public const string SignOut = "signout";
    public const string UserCreated = "user.created";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserPasswordReset = "user.password-reset";
    public const string UserRolesChanged = "user.roles-changed";
    public const string SettingsChanged = "settings.changed";
    public const string ArticleCreated = "article.created";
    public const string ArticleSaved = "article.saved";
    public const string ArticleRestored = "article.restored";
    public const string PreviewLinkCreated = "article.preview-link.created";
    public const string PreviewLinkRevoked = "article.preview-link.revoked";
    public const string ChannelCreated = "channel.created";
    public const string ChannelRenamed = "channel.renamed";
    public const string ChannelDescribed = "channel.described";
    public const string ChannelMoved = "channel.moved";
    public const string ChannelReordered = "channel.reordered";
    public const string ChannelHidden = "channel.hidden";
    public const string ChannelShown = "channel.shown";
    public const string ChannelDeleted = "channel.deleted";
    public const string DeskChanged = "desk.changed";

    public static readonly IReadOnlyList<string> ChannelActions =
        [ChannelCreated, ChannelRenamed, ChannelDescribed, ChannelMoved, ChannelReordered, ChannelHidden, ChannelShown, ChannelDeleted];
    public const string MediaUploaded = "media.uploaded";
    public const string MediaAltChanged = "media.alt-changed";
    public const string MediaDeleted = "media.deleted";
    public const string MediaPosterChanged = "media.poster-changed";
    public const string HeadlineAdded = "curation.headline.added";
    public const string HeadlineRemoved = "curation.headline.removed";
    public const string HeadlineMoved = "curation.headline.moved";
    public const string HotNewsPinned = "curation.hotnews.pinned";
    public const string HotNewsUnpinned = "curation.hotnews.unpinned";
    public const string HotNewsMoved = "curation.hotnews.moved";
    public const string HotVideoAdded = "curation.hotvideos.added";
    public const string HotVideoRemoved = "curation.hotvideos.removed";
    public const string HotVideoMoved = "curation.hotvideos.moved";
    public const string SidebarsChanged = "curation.sidebars.changed";

    public static readonly IReadOnlyList<string> Curation =
    [
        HeadlineAdded, HeadlineRemoved, HeadlineMoved, HotNewsPinned, HotNewsUnpinned, HotNewsMoved,
        HotVideoAdded, HotVideoRemoved, HotVideoMoved, SidebarsChanged,
    ];

    public static string Placed(CurationBlock block) => block switch
    {
        CurationBlock.Headline => HeadlineAdded,
        CurationBlock.HotNews => HotNewsPinned,
        _ => HotVideoAdded,
    };

    public static string Removed(CurationBlock block) => block switch
    {
        CurationBlock.Headline => HeadlineRemoved,
        CurationBlock.HotNews => HotNewsUnpinned,
        _ => HotVideoRemoved,
    };

    public static string Moved(CurationBlock block) => block switch
    {
        CurationBlock.Headline => HeadlineMoved,
        CurationBlock.HotNews => HotNewsMoved,
        _ => HotVideoMoved,
    };
    public const string SensitiveWordAdded = "sensitive-word.added";
    public const string SensitiveWordChanged = "sensitive-word.changed";
    public const string SensitiveWordDeleted = "sensitive-word.deleted";
    public const string SensitiveWordsImported = "sensitive-word.imported";
    public const string SearchSynonymAdded = "search-synonym.added";
    public const string SearchSynonymChanged = "search-synonym.changed";
    public const string SearchSynonymDeleted = "search-synonym.deleted";

    /// <summary>A report deleted for good from the recycle bin (by its time, or 永久删除 by hand).</summary>
    public const string ArticlePurged = "article.purged";

    /// <summary>One bulk action (批量操作) over selected reports: what was asked and how many were done or refused.</summary>
    public const string ArticlesBulk = "articles.bulk";

    public const string TagRenamed = "tag.renamed";
    public const string TagMerged = "tag.merged";
    public const string TagDeleted = "tag.deleted";

    // 专题: a topic, its sections (and their hand-picked reports) and its timeline; the target is topic:{id}.
    public const string TopicCreated = "topic.created";
    public const string TopicChanged = "topic.changed";
    public const string TopicPublished = "topic.published";
    public const string TopicUnpublished = "topic.unpublished";
    public const string TopicDeleted = "topic.deleted";
    public const string TopicSectionsChanged = "topic.sections";
    public const string TopicTimelineChanged = "topic.timeline";

    // The read API's partner keys; the target is api-key:{id}.
    public const string ApiKeyCreated = "api-key.created";
    public const string ApiKeyRevoked = "api-key.revoked";
    public const string ApiKeyLimitChanged = "api-key.limit-changed";

    public static readonly IReadOnlyList<string> TopicActions =
        [TopicCreated, TopicChanged, TopicPublished, TopicUnpublished, TopicDeleted, TopicSectionsChanged, TopicTimelineChanged];

    // 留言: a moderator's action on a comment (target comment:{id}), on a report's comments (article:{id}) or a channel's (channel:{id}).
    public const string CommentApproved = "comment.approved";
    public const string CommentRejected = "comment.rejected";
    public const string CommentReplied = "comment.replied";
    public const string CommentDeleted = "comment.deleted";
    public const string CommentsClosed = "comment.closed";
    public const string CommentsOpened = "comment.opened";
    public const string CommentReviewChanged = "comment.review";

    public static readonly IReadOnlyList<string> CommentActions =
        [CommentApproved, CommentRejected, CommentReplied, CommentDeleted, CommentsClosed, CommentsOpened, CommentReviewChanged];

    public static string Workflow(ReviewAction action) => "article." + action.ToString().ToLowerInvariant();

    public static string DisplayName(string action) => action switch
    {
        SignInSucceeded => "登录成功",
        SignInFailed => "登录失败",
        SignInLockedOut => "账户锁定",
        SignOut => "退出登录",
        UserCreated => "创建用户",
        UserDisabled => "停用用户",
        UserEnabled => "启用用户",
        UserPasswordReset => "重置密码",
        UserRolesChanged => "修改角色",
        DeskChanged => "修改责任栏目",
        SettingsChanged => "修改网站设置",
        ArticleCreated => "新建稿件",
        ArticleSaved => "保存稿件",
        ArticleRestored => "恢复版本",
        ChannelCreated => "新建栏目",
        ChannelRenamed => "栏目改名",
        ChannelDescribed => "修改栏目说明",
        ChannelMoved => "移动栏目",
        ChannelReordered => "调整栏目顺序",
        ChannelHidden => "隐藏栏目",
        ChannelShown => "显示栏目",
        ChannelDeleted => "删除栏目",
        MediaUploaded => "上传图片或视频",
        MediaAltChanged => "修改图片替代文字",
        MediaDeleted => "删除媒体文件",
        MediaPosterChanged => "更换视频封面",
        HeadlineAdded => "设为头条",
        HeadlineRemoved => "取消头条",
        HeadlineMoved => "调整头条顺序",
        HotNewsPinned => "置顶热点新闻",
        HotNewsUnpinned => "取消热点新闻置顶",
        HotNewsMoved => "调整热点新闻置顶顺序",
        HotVideoAdded => "加入热点视频",
        HotVideoRemoved => "移出热点视频",
        HotVideoMoved => "调整热点视频顺序",
        SidebarsChanged => "修改侧栏设置",
        SensitiveWordAdded => "添加敏感词",
        SensitiveWordChanged => "修改敏感词",
        SensitiveWordDeleted => "删除敏感词",
        SensitiveWordsImported => "导入敏感词",
        SearchSynonymAdded => "添加同义词组",
        SearchSynonymChanged => "修改同义词组",
        SearchSynonymDeleted => "删除同义词组",
        ArticlePurged => "永久删除稿件",
        ArticlesBulk => "批量操作稿件",
        TagRenamed => "标签改名",
        TagMerged => "合并标签",
        TagDeleted => "删除标签",
        TopicCreated => "新建专题",
        TopicChanged => "修改专题",
        TopicPublished => "发布专题",
        TopicUnpublished => "撤下专题",
        TopicDeleted => "删除专题",
        TopicSectionsChanged => "修改专题栏目",
        TopicTimelineChanged => "修改专题大事记",
        CommentApproved => "通过留言",
        CommentRejected => "拒绝留言",
        CommentReplied => "回复留言",
        CommentDeleted => "删除留言",
        CommentsClosed => "关闭文章留言",
        CommentsOpened => "开放文章留言",
        CommentReviewChanged => "修改栏目留言审核",
        _ when action.StartsWith("article.", StringComparison.Ordinal)
            && Enum.TryParse<ReviewAction>(action["article.".Length..], ignoreCase: true, out var a) => ArticleReview.ActionName(a, 0),
        _ => action,
    };
}
