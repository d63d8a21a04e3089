using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class ArticleDailyViewsConfiguration : IEntityTypeConfiguration<ArticleDailyViews>
{
    public void Configure(EntityTypeBuilder<ArticleDailyViews> v)
    {
        v.HasKey(x => new { x.ArticleId, x.Day });
        v.HasIndex(x => x.Day);
        v.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}
