using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<Channel>
{
    public void Configure(EntityTypeBuilder<Channel> c)
    {
        c.Property(x => x.Slug).HasMaxLength(100);
        c.HasIndex(x => x.Slug).IsUnique();
        c.Property(x => x.Name).HasMaxLength(50);
        c.Property(x => x.Description).HasMaxLength(500);
        c.HasOne(x => x.Parent).WithMany(p => p.Children).HasForeignKey(x => x.ParentId)
            .OnDelete(DeleteBehavior.Restrict);
        c.Property(x => x.Version).IsConcurrencyToken();
        c.HasMany(x => x.OldSlugs).WithOne().HasForeignKey(r => r.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
