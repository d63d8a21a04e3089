using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data;

public class NewsDbContext(DbContextOptions<NewsDbContext> options) : IdentityDbContext<NewsUser>(options)
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<ChannelRedirect> ChannelRedirects => Set<ChannelRedirect>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<ArticleDailyViews> ArticleDailyViews => Set<ArticleDailyViews>();
    public DbSet<SiteSettings> SiteSettings => Set<SiteSettings>();
    public DbSet<ArticleReview> ArticleReviews => Set<ArticleReview>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<MediaItem> MediaItems => Set<MediaItem>();
    public DbSet<Placement> Placements => Set<Placement>();
    public DbSet<SidebarSettings> SidebarSettings => Set<SidebarSettings>();
    public DbSet<SensitiveWord> SensitiveWords => Set<SensitiveWord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Every DateTime is UTC in the database; reading it back must say so, or CST conversion goes wrong.
        builder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        builder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<NewsUser>(u => u.Property(x => x.DisplayName).HasMaxLength(50));

        model.Entity<Article>(a =>
        {
            a.Property(x => x.Slug).HasMaxLength(200);
            a.HasIndex(x => x.Slug).IsUnique();
            a.Property(x => x.Title).HasMaxLength(200);
            a.Property(x => x.Subtitle).HasMaxLength(200);
            a.Property(x => x.Summary).HasMaxLength(1000);
            a.Property(x => x.Source).HasMaxLength(100);
            a.Property(x => x.ReprintedFrom).HasMaxLength(100);
            a.Property(x => x.Author).HasMaxLength(100);
            a.Property(x => x.ResponsibleEditor).HasMaxLength(100);
            a.Property(x => x.ContactHotline).HasMaxLength(50);
            a.Property(x => x.ContactWeChat).HasMaxLength(100);
            a.Property(x => x.CoverImageUrl).HasMaxLength(500);
            a.Property(x => x.CoverImageAlt).HasMaxLength(200);
            a.Property(x => x.VideoUrl).HasMaxLength(500);
            a.Property(x => x.VideoPosterUrl).HasMaxLength(500);
            a.Property(x => x.ImportHash).HasMaxLength(64);
            a.Property(x => x.BodyMarkdown);
            a.Property(x => x.BodyHtml);
            a.Property(x => x.Status);
            a.Property(x => x.PublishedAt);
            a.Property(x => x.Version).IsConcurrencyToken();
            a.Property(x => x.OwnerId).HasMaxLength(450);
            a.Property(x => x.ReviewLevel);
            a.Property(x => x.CorrectionNote).HasMaxLength(1000);
            a.Property(x => x.CorrectedAt);
            a.Property(x => x.WithdrawalReason).HasMaxLength(1000);
            a.Property(x => x.WithdrawnAt);
            a.HasIndex(x => new { x.OwnerId, x.Status });
            a.HasMany(x => x.Reviews).WithOne().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);

            a.HasOne(x => x.Channel).WithMany(c => c.Articles).HasForeignKey(x => x.ChannelId)
                .OnDelete(DeleteBehavior.Restrict);
            a.HasMany(x => x.Tags).WithMany(t => t.Articles).UsingEntity("ArticleTags");

            // The reader side asks "visible, newest first" everywhere: lists, feeds, archive.
            a.HasIndex(x => new { x.Status, x.PublishedAt });
            a.HasIndex(x => new { x.ChannelId, x.Status, x.PublishedAt });
            a.HasIndex(x => new { x.Kind, x.Status, x.PublishedAt });
        });

        model.Entity<Channel>(c =>
        {
            c.Property(x => x.Slug).HasMaxLength(100);
            c.HasIndex(x => x.Slug).IsUnique();
            c.Property(x => x.Name).HasMaxLength(50);
            c.Property(x => x.Description).HasMaxLength(500);
            c.HasOne(x => x.Parent).WithMany(p => p.Children).HasForeignKey(x => x.ParentId)
                .OnDelete(DeleteBehavior.Restrict);
            c.Property(x => x.Version).IsConcurrencyToken();
            c.HasMany(x => x.OldSlugs).WithOne().HasForeignKey(r => r.ChannelId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ChannelRedirect>(r =>
        {
            r.Property(x => x.OldSlug).HasMaxLength(100);
            r.HasIndex(x => x.OldSlug).IsUnique();
        });

        model.Entity<Tag>(t =>
        {
            t.Property(x => x.Name).HasMaxLength(50);
            t.HasIndex(x => x.Name).IsUnique();
        });

        model.Entity<ArticleDailyViews>(v =>
        {
            v.HasKey(x => new { x.ArticleId, x.Day });
            v.HasIndex(x => x.Day);
            v.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ArticleReview>(r =>
        {
            r.Property(x => x.UserId).HasMaxLength(450);
            r.Property(x => x.UserName).HasMaxLength(100);
            r.Property(x => x.Note).HasMaxLength(1000);
            r.HasIndex(x => new { x.ArticleId, x.At });
        });

        model.Entity<ArticleRevision>(r =>
        {
            r.HasIndex(x => new { x.ArticleId, x.Number }).IsUnique();
            r.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
            r.Property(x => x.Title).HasMaxLength(200);
            r.Property(x => x.Subtitle).HasMaxLength(200);
            r.Property(x => x.Summary).HasMaxLength(1000);
            r.Property(x => x.Tags).HasMaxLength(1000);
            r.Property(x => x.UserId).HasMaxLength(450);
            r.Property(x => x.UserName).HasMaxLength(100);
            r.Property(x => x.Note).HasMaxLength(200);
        });

        model.Entity<AuditEntry>(e =>
        {
            e.Property(x => x.UserId).HasMaxLength(450);
            e.Property(x => x.UserName).HasMaxLength(256);
            e.Property(x => x.Action).HasMaxLength(50);
            e.Property(x => x.Target).HasMaxLength(300);
            e.Property(x => x.Details).HasMaxLength(2000);
            e.Property(x => x.ClientAddress).HasMaxLength(64);
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.Action, x.At });
            e.HasIndex(x => new { x.UserId, x.At });
        });

        model.Entity<MediaItem>(m =>
        {
            m.Property(x => x.StoredName).HasMaxLength(80);
            m.HasIndex(x => x.StoredName).IsUnique();
            m.Property(x => x.OriginalName).HasMaxLength(MediaItem.MaxOriginalNameLength);
            m.Property(x => x.SourceFormat).HasMaxLength(10);
            m.Property(x => x.ContentType).HasMaxLength(50);
            m.Property(x => x.Sha256).HasMaxLength(64);
            m.HasIndex(x => x.Sha256).IsUnique();
            m.Property(x => x.AltText).HasMaxLength(MediaItem.MaxAltTextLength);
            m.Property(x => x.UploadedById).HasMaxLength(450);
            m.Property(x => x.UploadedByName).HasMaxLength(100);
            m.HasIndex(x => x.UploadedAt);
            m.Ignore(x => x.Url);
            m.Ignore(x => x.MarkdownSnippet);
        });

        model.Entity<SensitiveWord>(w =>
        {
            w.Property(x => x.Word).HasMaxLength(SensitiveWord.MaxLength);
            w.Property(x => x.NormalizedWord).HasMaxLength(SensitiveWord.MaxLength);
            w.HasIndex(x => x.NormalizedWord).IsUnique();
            w.Property(x => x.CreatedBy).HasMaxLength(100);
            w.HasIndex(x => new { x.Action, x.NormalizedWord });
        });

        model.Entity<SiteSettings>(s =>
        {
            s.Property(x => x.SiteName).HasMaxLength(100);
            s.Property(x => x.Tagline).HasMaxLength(200);
            s.Property(x => x.CopyrightNotice).HasMaxLength(2000);
            s.Property(x => x.CopyrightOwner).HasMaxLength(200);
            s.Property(x => x.IcpNumber).HasMaxLength(50);
            s.Property(x => x.PublicSecurityFilingNumber).HasMaxLength(50);
            s.Property(x => x.FooterLines).HasMaxLength(2000);
            s.Property(x => x.DefaultHotline).HasMaxLength(50);
            s.Property(x => x.DefaultWeChat).HasMaxLength(100);
            s.Property(x => x.Version).IsConcurrencyToken();
            s.Ignore(x => x.FooterLineList);
        });

        model.Entity<Placement>(p =>
        {
            // An article is in a block at most once; readers and the curation page ask "the block, in order".
            p.HasIndex(x => new { x.Block, x.ArticleId }).IsUnique();
            p.HasIndex(x => new { x.Block, x.Position });
            p.HasIndex(x => x.ArticleId);
            p.HasOne(x => x.Article).WithMany(a => a.Placements).HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<SidebarSettings>(s =>
        {
            s.Property(x => x.Id).ValueGeneratedNever();
            // A deleted channel leaves its sidebar empty rather than blocking the deletion.
            s.HasOne<Channel>().WithMany().HasForeignKey(x => x.OpinionChannelId).OnDelete(DeleteBehavior.SetNull);
            s.HasOne<Channel>().WithMany().HasForeignKey(x => x.TownChannelId).OnDelete(DeleteBehavior.SetNull);
        });
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

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
