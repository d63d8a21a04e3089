using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class PlacementConfiguration : IEntityTypeConfiguration<Placement>
{
    public void Configure(EntityTypeBuilder<Placement> p)
    {
        // An article is in a block at most once; readers and the curation page ask "the block, in order".
        p.HasIndex(x => new { x.Block, x.ArticleId }).IsUnique();
        p.HasIndex(x => new { x.Block, x.Position });
        p.HasIndex(x => x.ArticleId);
        p.HasOne(x => x.Article).WithMany(a => a.Placements).HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}
