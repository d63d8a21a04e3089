using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> a)
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
        a.Property(x => x.PendingRevision);
        a.Property(x => x.PendingState);
        a.Property(x => x.PendingSince);
        a.Property(x => x.PendingReviewLevel);
        a.HasIndex(x => new { x.OwnerId, x.Status });
        a.HasMany(x => x.Reviews).WithOne().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);

        a.HasOne(x => x.Channel).WithMany(c => c.Articles).HasForeignKey(x => x.ChannelId)
            .OnDelete(DeleteBehavior.Restrict);
        a.HasMany(x => x.Tags).WithMany(t => t.Articles).UsingEntity("ArticleTags");

        // The reader side asks "visible, newest first" everywhere: lists, feeds, archive.
        a.HasIndex(x => new { x.Status, x.PublishedAt });
        a.HasIndex(x => new { x.ChannelId, x.Status, x.PublishedAt });
        a.HasIndex(x => new { x.Kind, x.Status, x.PublishedAt });
        // The offline job and the portal snapshot's expiry look for the next 下线时间; almost every row has none.
        a.HasIndex(x => x.OfflineAt);
        a.Property(x => x.EmbargoNote).HasMaxLength(500);
        // The purge job finds what has waited its 30 days in the recycle bin.
        a.HasIndex(x => x.RecycledAt);
    }
}
