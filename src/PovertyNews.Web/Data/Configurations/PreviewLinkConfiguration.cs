using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class PreviewLinkConfiguration : IEntityTypeConfiguration<PreviewLink>
{
    public void Configure(EntityTypeBuilder<PreviewLink> l)
    {
        l.HasIndex(x => x.Token).IsUnique();
        l.HasIndex(x => x.ArticleId);
        l.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        l.Property(x => x.Token).HasMaxLength(64);
        l.Property(x => x.CreatedById).HasMaxLength(450);
        l.Property(x => x.CreatedByName).HasMaxLength(100);
        l.Property(x => x.RevokedByName).HasMaxLength(100);
    }
}
