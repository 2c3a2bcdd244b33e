/** The calls both groups make (find, apply, wait, status, and describing holders when a delete gives up). */
export const SECURITY_GROUP_IAM = [
  'ec2:DescribeSecurityGroups',
  'ec2:CreateSecurityGroup',
  'ec2:CreateTags',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:DeleteSecurityGroup',
  'ec2:DescribeNetworkInterfaces',
];
