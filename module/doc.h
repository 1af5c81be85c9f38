/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The documents the module publishes (doc.c), as seq_files; their format
 * is docs/format.md.
 */
#ifndef PFS_DOC_H
#define PFS_DOC_H

#include <linux/types.h>

struct file;
struct inode;
struct seq_file;

int pfs_doc_open(struct file *file, bool detail);
int pfs_doc_release(struct inode *inode, struct file *file);
void pfs_doc_show_hist(struct seq_file *m);

#endif /* PFS_DOC_H */
