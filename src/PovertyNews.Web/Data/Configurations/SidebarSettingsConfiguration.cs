using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class SidebarSettingsConfiguration : IEntityTypeConfiguration<SidebarSettings>
{
    public void Configure(EntityTypeBuilder<SidebarSettings> s)
    {
        s.Property(x => x.Id).ValueGeneratedNever();
        // A deleted channel leaves its sidebar empty rather than blocking the deletion.
        s.HasOne<Channel>().WithMany().HasForeignKey(x => x.OpinionChannelId).OnDelete(DeleteBehavior.SetNull);
        s.HasOne<Channel>().WithMany().HasForeignKey(x => x.TownChannelId).OnDelete(DeleteBehavior.SetNull);
    }
}
