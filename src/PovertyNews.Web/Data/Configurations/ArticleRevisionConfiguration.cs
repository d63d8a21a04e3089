using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class ArticleRevisionConfiguration : IEntityTypeConfiguration<ArticleRevision>
{
    public void Configure(EntityTypeBuilder<ArticleRevision> r)
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
        r.Property(x => x.VideoUrl).HasMaxLength(500);
        r.Property(x => x.VideoPosterUrl).HasMaxLength(500);
        r.Property(x => x.CorrectionNote).HasMaxLength(1000);
    }
}
