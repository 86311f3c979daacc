# The mm selftests of the paths the series touches (rmap walkers, migration,
# fork and COW, THP split, KSM, userfaultfd, pagemap, mremap, GUP), run on
# the stock base and on the patched kernel, same config, same binaries:
# scripts/mm-selftests.sh compares the two, and a test that passes on the
# base must pass with the series. Format as selftests/plan; SOURCE lists the
# selftest and the helpers it links with. Skipped on both kernels, for what
# the guest lacks: split_huge_page_test's page cache tests (they want a file
# system with large folios, such as XFS), and the tests of cow and
# gup_longterm that want more or larger hugetlb pages than 32 of 2 MiB.
migration             tools/testing/selftests/mm/migration.c,tools/testing/selftests/mm/vm_util.c,tools/testing/selftests/mm/thp_settings.c  migration
cow                   tools/testing/selftests/mm/cow.c,tools/testing/selftests/mm/vm_util.c,tools/testing/selftests/mm/thp_settings.c  cow
split_huge_page_test  tools/testing/selftests/mm/split_huge_page_test.c,tools/testing/selftests/mm/vm_util.c,tools/testing/selftests/mm/thp_settings.c  split_huge_page_test
ksm_functional_tests  tools/testing/selftests/mm/ksm_functional_tests.c,tools/testing/selftests/mm/vm_util.c,tools/testing/selftests/mm/thp_settings.c  ksm_functional_tests
uffd-unit-tests       tools/testing/selftests/mm/uffd-unit-tests.c,tools/testing/selftests/mm/uffd-common.c,tools/testing/selftests/mm/vm_util.c,tools/testing/selftests/mm/thp_settings.c  uffd-unit-tests
pagemap_ioctl         tools/testing/selftests/mm/pagemap_ioctl.c,tools/testing/selftests/mm/vm_util.c,tools/testing/selftests/mm/thp_settings.c  pagemap_ioctl
mremap_test           tools/testing/selftests/mm/mremap_test.c,tools/testing/selftests/mm/vm_util.c,tools/testing/selftests/mm/thp_settings.c  mremap_test
gup_longterm          tools/testing/selftests/mm/gup_longterm.c,tools/testing/selftests/mm/vm_util.c,tools/testing/selftests/mm/thp_settings.c  gup_longterm
