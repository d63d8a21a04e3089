using PovertyNews.Web.Common;
using Microsoft.AspNetCore.Authorization;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Access;

/// <summary>Named policies for whole sections of the newsroom; per-article questions go to <see cref="ArticleOperations"/>.</summary>
public static class AccessPolicies
{
    public const string Administrators = "newsroom.administrators";
    public const string Writers = "newsroom.writers";
    public const string Curators = "newsroom.curators";
    public const string ChannelManagers = "newsroom.channel-managers";

    /// <summary>
    /// 传播数据 for the whole site: editors, editors-in-chief and administrators, who read every article anyway. A desk
    /// does not narrow it (it limits what an editor does, not what they read). Reporters see the reads of their own
    /// articles, per article (<see cref="ArticleOperations.ViewReads"/>).
    /// </summary>
    public const string Analysts = "newsroom.analysts";

    /// <summary>
    /// 标签管理 (rename, merge, delete unused tags): the site's vocabulary, kept like its channels by editors-in-chief
    /// and administrators. It changes the tags of every report at once, so it is not an editor's per-report edit.
    /// </summary>
    public const string TagManagers = "newsroom.tag-managers";

    /// <summary>
    /// 专题 (topic pages): made and published by editors, editors-in-chief and administrators, who curate what readers
    /// see first (the same people as <see cref="Curators"/>); reporters write the reports a topic gathers.
    /// </summary>
    public const string TopicManagers = "newsroom.topic-managers";

    /// <summary>The media library: everyone who writes, and administrators.</summary>
    public const string MediaUsers = "newsroom.media-users";

    /// <summary>留言 moderation (approve, reject, reply, delete, close a report's comments, 先审后发 per channel): editors, editors-in-chief, administrators.</summary>
    public const string CommentModerators = "newsroom.comment-moderators";
    /// <summary>The read API's partner keys (create, revoke, see their use): administrators only.</summary>
    public const string ApiKeyManagers = "newsroom.api-key-managers";
}

public static class AccessSetup
{
    public static IServiceCollection AddNewsroomAccess(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Administrators, p => p.RequireRole(NewsRoles.Administrator))
            .AddPolicy(AccessPolicies.Writers, p => p.RequireRole(NewsRoles.Reporter, NewsRoles.Editor, NewsRoles.EditorInChief))
            .AddPolicy(AccessPolicies.Curators, p => p.RequireRole(NewsRoles.Editor, NewsRoles.EditorInChief, NewsRoles.Administrator))
            .AddPolicy(AccessPolicies.Analysts, p => p.RequireRole(NewsRoles.Editor, NewsRoles.EditorInChief, NewsRoles.Administrator))
            .AddPolicy(AccessPolicies.ChannelManagers, p => p.RequireRole(NewsRoles.EditorInChief, NewsRoles.Administrator))
            .AddPolicy(AccessPolicies.TagManagers, p => p.RequireRole(NewsRoles.EditorInChief, NewsRoles.Administrator))
            .AddPolicy(AccessPolicies.TopicManagers, p => p.RequireRole(NewsRoles.Editor, NewsRoles.EditorInChief, NewsRoles.Administrator))
            .AddPolicy(AccessPolicies.MediaUsers, p => p.RequireRole(NewsRoles.Reporter, NewsRoles.Editor, NewsRoles.EditorInChief, NewsRoles.Administrator))
            .AddPolicy(AccessPolicies.CommentModerators, p => p.RequireRole(NewsRoles.Editor, NewsRoles.EditorInChief, NewsRoles.Administrator))
            .AddPolicy(AccessPolicies.ApiKeyManagers, p => p.RequireRole(NewsRoles.Administrator));
        // Scoped: the handlers read the person's desk from the request's DbContext.
        services.AddScoped<IDeskCoverage, DeskCoverageReader>();
        services.AddScoped<IAuthorizationHandler, ArticleAccessHandler>();
        services.AddScoped<IAuthorizationHandler, ChannelWriteHandler>();
        services.AddScoped<ArticleAccess>();
        services.AddScoped<IArticlePermissions>(sp => sp.GetRequiredService<ArticleAccess>());
        services.AddScoped<DeskService>();
        return services;
    }
}
