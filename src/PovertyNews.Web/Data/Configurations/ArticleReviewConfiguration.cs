using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class ArticleReviewConfiguration : IEntityTypeConfiguration<ArticleReview>
{
    public void Configure(EntityTypeBuilder<ArticleReview> r)
    {
        r.Property(x => x.UserId).HasMaxLength(450);
        r.Property(x => x.UserName).HasMaxLength(100);
        r.Property(x => x.Note).HasMaxLength(1000);
        r.Property(x => x.TextSha256).HasMaxLength(64);
        r.HasIndex(x => new { x.ArticleId, x.At });
    }
}
