using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PovertyNews.Web.Data.Configurations;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data;

public class NewsDbContext : IdentityDbContext<NewsUser>, IDataProtectionKeyContext
{
    public NewsDbContext(DbContextOptions<NewsDbContext> options) : base(options)
    {
    }

    /// <summary>For a provider's own context type (<see cref="Postgres.PostgresNewsDbContext"/>), which keeps its own migrations.</summary>
    protected NewsDbContext(DbContextOptions options) : base(options)
    {
    }

    /// <summary>The data-protection key ring, shared by every node on PostgreSQL (cookies and antiforgery tokens from one work on all).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<ChannelRedirect> ChannelRedirects => Set<ChannelRedirect>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<ArticleDailyViews> ArticleDailyViews => Set<ArticleDailyViews>();
    public DbSet<SiteSettings> SiteSettings => Set<SiteSettings>();
    public DbSet<ArticleReview> ArticleReviews => Set<ArticleReview>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditAnchor> AuditAnchors => Set<AuditAnchor>();
    public DbSet<MediaItem> MediaItems => Set<MediaItem>();
    public DbSet<Placement> Placements => Set<Placement>();
    public DbSet<SidebarSettings> SidebarSettings => Set<SidebarSettings>();
    public DbSet<SensitiveWord> SensitiveWords => Set<SensitiveWord>();
    public DbSet<DeskAssignment> DeskAssignments => Set<DeskAssignment>();
    public DbSet<PreviewLink> PreviewLinks => Set<PreviewLink>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    public DbSet<OutgoingEmail> OutgoingEmails => Set<OutgoingEmail>();
    public DbSet<SavedSearch> SavedSearches => Set<SavedSearch>();
    public DbSet<SearchSynonym> SearchSynonyms => Set<SearchSynonym>();
    public DbSet<TagRedirect> TagRedirects => Set<TagRedirect>();
    public DbSet<ArticleDailyReferrers> ArticleDailyReferrers => Set<ArticleDailyReferrers>();
    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<TopicSection> TopicSections => Set<TopicSection>();
    public DbSet<TopicSectionArticle> TopicSectionArticles => Set<TopicSectionArticle>();
    public DbSet<TopicTimelineEntry> TopicTimelineEntries => Set<TopicTimelineEntry>();
    public DbSet<TopicRedirect> TopicRedirects => Set<TopicRedirect>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ApiKeyDailyUse> ApiKeyDailyUses => Set<ApiKeyDailyUse>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<Comment> Comments => Set<Comment>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Every DateTime is UTC in the database; reading it back must say so, or CST conversion goes wrong.
        builder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        builder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // Listed rather than ApplyConfigurationsFromAssembly: the order stays the one the migrations were made with.
        model.ApplyConfiguration(new NewsUserConfiguration());
        model.ApplyConfiguration(new ArticleConfiguration());
        model.ApplyConfiguration(new ChannelConfiguration());
        model.ApplyConfiguration(new ChannelRedirectConfiguration());
        model.ApplyConfiguration(new TagConfiguration());
        model.ApplyConfiguration(new ArticleDailyViewsConfiguration());
        model.ApplyConfiguration(new ArticleReviewConfiguration());
        model.ApplyConfiguration(new ArticleRevisionConfiguration());
        model.ApplyConfiguration(new AuditEntryConfiguration());
        model.ApplyConfiguration(new MediaItemConfiguration());
        model.ApplyConfiguration(new SensitiveWordConfiguration());
        model.ApplyConfiguration(new SiteSettingsConfiguration());
        model.ApplyConfiguration(new PlacementConfiguration());
        model.ApplyConfiguration(new SidebarSettingsConfiguration());
        model.ApplyConfiguration(new AuditAnchorConfiguration());
        model.ApplyConfiguration(new DeskAssignmentConfiguration());
        model.ApplyConfiguration(new PreviewLinkConfiguration());
        model.ApplyConfiguration(new NotificationConfiguration());
        model.ApplyConfiguration(new NotificationPreferenceConfiguration());
        model.ApplyConfiguration(new OutgoingEmailConfiguration());
        model.ApplyConfiguration(new SavedSearchConfiguration());
        model.ApplyConfiguration(new SearchSynonymConfiguration());
        model.ApplyConfiguration(new TagRedirectConfiguration());
        model.ApplyConfiguration(new ArticleDailyReferrersConfiguration());
        model.ApplyConfiguration(new TopicConfiguration());
        model.ApplyConfiguration(new TopicSectionConfiguration());
        model.ApplyConfiguration(new TopicSectionArticleConfiguration());
        model.ApplyConfiguration(new TopicTimelineEntryConfiguration());
        model.ApplyConfiguration(new TopicRedirectConfiguration());
        model.ApplyConfiguration(new ApiKeyConfiguration());
        model.ApplyConfiguration(new ApiKeyDailyUseConfiguration());
        model.ApplyConfiguration(new WebhookEndpointConfiguration());
        model.ApplyConfiguration(new WebhookEventConfiguration());
        model.ApplyConfiguration(new WebhookDeliveryConfiguration());
        model.ApplyConfiguration(new CommentConfiguration());
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampVersions();
        if (Database.CurrentTransaction is not null || !AddsLiveArticle())
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        // A report that is live from its insert (the importer, copy of a published report) gets its id only from the
        // insert, and the save interceptors write what needs it (its webhook event, its search entry, the audit link)
        // after that. One transaction from the first interceptor to the last, so those writes commit with the report
        // or not at all; otherwise an interceptor that began its own would commit the report before the rest.
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    private bool AddsLiveArticle() =>
        ChangeTracker.Entries<Article>().Any(e => e.State == EntityState.Added && e.Entity.Status == ArticleStatus.Published);

    // SQLite has no rowversion: a new Guid on every save plays that part for optimistic concurrency.
    private void StampVersions()
    {
        foreach (var entry in ChangeTracker.Entries<Article>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version = Guid.NewGuid();
            }
        }
        foreach (var entry in ChangeTracker.Entries<SiteSettings>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version = Guid.NewGuid();
            }
        }
        foreach (var entry in ChangeTracker.Entries<Channel>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version = Guid.NewGuid();
            }
        }
    }

    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
