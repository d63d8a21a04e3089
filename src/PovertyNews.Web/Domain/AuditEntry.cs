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
    public const string SensitiveWordAdded = "sensitive-word.added";
    public const string SensitiveWordChanged = "sensitive-word.changed";
    public const string SensitiveWordDeleted = "sensitive-word.deleted";
    public const string SensitiveWordsImported = "sensitive-word.imported";

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
        SettingsChanged => "修改网站设置",
        ArticleCreated => "新建稿件",
        ArticleSaved => "保存稿件",
        ArticleRestored => "恢复版本",
        SensitiveWordAdded => "添加敏感词",
        SensitiveWordChanged => "修改敏感词",
        SensitiveWordDeleted => "删除敏感词",
        SensitiveWordsImported => "导入敏感词",
        _ when action.StartsWith("article.", StringComparison.Ordinal)
            && Enum.TryParse<ReviewAction>(action["article.".Length..], ignoreCase: true, out var a) => ArticleReview.ActionName(a, 0),
        _ => action,
    };
}
