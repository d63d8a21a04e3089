using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> n)
    {
        // The inbox and the header's counter read one person's newest first, unread ones counted.
        n.HasIndex(x => new { x.UserId, x.ReadAt, x.Id });
        n.HasIndex(x => x.CreatedAt);
        n.HasOne<NewsUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        n.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        n.Property(x => x.UserId).HasMaxLength(450);
        n.Property(x => x.Text).HasMaxLength(500);
        n.Property(x => x.ActorName).HasMaxLength(100);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> p)
    {
        p.HasKey(x => new { x.UserId, x.Kind });
        p.HasOne<NewsUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        p.Property(x => x.UserId).HasMaxLength(450);
    }
}

internal sealed class OutgoingEmailConfiguration : IEntityTypeConfiguration<OutgoingEmail>
{
    public void Configure(EntityTypeBuilder<OutgoingEmail> e)
    {
        e.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
        e.Property(x => x.To).HasMaxLength(256);
        e.Property(x => x.Subject).HasMaxLength(300);
        e.Property(x => x.LastError).HasMaxLength(1000);
    }
}

internal sealed class SavedSearchConfiguration : IEntityTypeConfiguration<SavedSearch>
{
    public void Configure(EntityTypeBuilder<SavedSearch> s)
    {
        s.HasIndex(x => new { x.UserId, x.Name }).IsUnique();
        s.HasIndex(x => x.Alert);
        s.HasOne<NewsUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        s.Property(x => x.UserId).HasMaxLength(450);
        s.Property(x => x.Name).HasMaxLength(100);
        s.Property(x => x.Query).HasMaxLength(2000);
    }
}

internal sealed class SearchSynonymConfiguration : IEntityTypeConfiguration<SearchSynonym>
{
    public void Configure(EntityTypeBuilder<SearchSynonym> s)
    {
        s.Property(x => x.Words).HasMaxLength(1000);
    }
}

internal sealed class TagRedirectConfiguration : IEntityTypeConfiguration<TagRedirect>
{
    public void Configure(EntityTypeBuilder<TagRedirect> r)
    {
        r.HasKey(x => x.OldName);
        r.Property(x => x.OldName).HasMaxLength(50);
        r.HasIndex(x => x.TagId);
        r.HasOne<Tag>().WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ArticleDailyReferrersConfiguration : IEntityTypeConfiguration<ArticleDailyReferrers>
{
    public void Configure(EntityTypeBuilder<ArticleDailyReferrers> r)
    {
        r.HasKey(x => new { x.ArticleId, x.Day, x.Host });
        // The period's sources over every article read by day.
        r.HasIndex(x => new { x.Day, x.Host });
        r.Property(x => x.Host).HasMaxLength(253);
        r.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}
